package io.statelesslb.server.http;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.statelesslb.api.codec.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** One request as a handler sees it: path variables, query parameters, headers, and the size-limited body. */
public record Call(HttpServerRequest request, Map<String, String> path, Map<String, List<String>> query,
                   Mono<byte[]> body) {

    /** @return who sent the request, for the log line of the change it records: the client's address */
    public String source() {
        InetSocketAddress client = request.remoteAddress();
        String address = client == null ? "an API client" : "API client " + (client.getAddress() == null
                ? client.getHostString() : client.getAddress().getHostAddress()) + ":" + client.getPort();
        // Who holds the token cannot be told apart: the token itself is never logged.
        return request.requestHeaders().contains("Authorization") ? address + " (bearer token)" : address;
    }

    /** @return the path variable {@code name} of the route's pattern */
    public String path(String name) {
        return path.get(name);
    }

    /** @return the query parameter {@code name}, or null */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** @return the query parameter as a number within bounds, or {@code fallback} when absent */
    public long queryLong(String name, long fallback, long min, long max) {
        String text = query(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the expected range
        }
        throw ApiException.of(400, "malformed", name, name + "=" + text + " (expected: an integer " + min + ".."
                + max + ")");
    }

    /** @return whether the flag parameter is set ({@code ?name}, {@code ?name=true}) */
    public boolean flag(String name) {
        String value = query(name);
        if (value == null) {
            return query.containsKey(name);
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        } else if (value.equals("false")) {
            return false;
        }
        throw ApiException.of(400, "malformed", name, name + "=" + value + " (expected: true or false)");
    }

    /** @return the body decoded as {@code type}, strictly: unknown fields, wrong types and trailing data are errors */
    public <T> Mono<T> json(Class<T> type) {
        return body.map(bytes -> decode(bytes, type));
    }

    /** Decodes JSON into {@code type}, naming the field at fault. */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        if (bytes.length == 0) {
            throw ApiException.of(400, "malformed", "body", "the body is empty (expected: a JSON object)");
        }
        try {
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                throw ApiException.of(400, "malformed", "body", "the body is null (expected: a JSON object)");
            }
            return value;
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String named = field.isEmpty() ? "body" : field;
            if (e instanceof UnrecognizedPropertyException unknown) {
                throw ApiException.of(400, "unknown_field", named, named + " is not a field of this request"
                        + " (expected one of: " + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                        .collect(Collectors.joining(", ")) + ")");
            }
            if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
                throw ApiException.of(400, "malformed", named, named + " has the wrong type (expected: "
                        + expected(mismatched.getTargetType()) + ")");
            }
            throw ApiException.of(400, "malformed", named, named + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.of(400, "malformed", "body", "the body is not JSON: " + e.getMessage()
                    .lines().findFirst().orElse(""));
        }
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }
}
