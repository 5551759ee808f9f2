package io.statelesslb.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.statelesslb.api.codec.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The daemon refused a request: its status, error code, message and the problems it named. */
public final class DaemonException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<String> problems;

    public DaemonException(int status, String code, String message, List<String> problems) {
        super(message);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** @return the exception for an error response's body (the API's error shape, or anything else) */
    static DaemonException of(int status, String body) {
        try {
            JsonNode error = Json.mapper().readTree(body);
            List<String> problems = new ArrayList<>();
            error.path("problems").forEach(problem -> problems.add(problem.path("message").asText()));
            return new DaemonException(status, error.path("error").asText("error"),
                    error.path("message").asText(body), problems);
        } catch (IOException | RuntimeException e) {
            return new DaemonException(status, "error", "HTTP " + status + ": " + body, List.of());
        }
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** @return every problem's message (the first is also the exception's message) */
    public List<String> problems() {
        return problems;
    }
}
