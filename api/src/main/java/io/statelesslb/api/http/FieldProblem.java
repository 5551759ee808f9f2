package io.statelesslb.api.http;

/**
 * One thing wrong with a request: the field (a JSON path such as {@code ips[0]}, or a parameter name), what kind
 * of problem, and the value with what was expected.
 */
public record FieldProblem(String field, String kind, String message) {
}
