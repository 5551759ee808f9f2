package io.statelesslb.server.http;

import io.statelesslb.api.http.ApiError;
import io.statelesslb.api.http.FieldProblem;
import java.util.List;

/** A request the API answers with a 4xx (or a 503): the status, a short code, and every problem found. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldProblem> problems;

    public ApiException(int status, String code, List<FieldProblem> problems) {
        super(problems.isEmpty() ? code : problems.get(0).message(), null, false, false);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** @return an exception about one field */
    public static ApiException of(int status, String code, String field, String message) {
        return new ApiException(status, code, List.of(new FieldProblem(field, code, message)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** @return the JSON body: {@code {"status":..,"error":..,"message":..,"problems":[..]}} */
    public ApiError body() {
        return new ApiError(status, code, getMessage(), problems);
    }
}
