package io.statelesslb.api.http;

import java.util.List;

/**
 * The body of every error response.
 *
 * @param error    a short, stable code such as {@code rejected}, {@code malformed}, {@code unauthorized}
 * @param message  the first problem, for people
 * @param problems every problem found, each naming its field
 */
public record ApiError(int status, String error, String message, List<FieldProblem> problems) {
}
