package io.statelesslb.api.http;

import java.util.List;

/**
 * How what the backend holds differs from the plan of the state: the operations that would make them equal, in the
 * order they would be applied; none when they agree.
 *
 * @param sequence   the sequence of the state planned
 * @param operations the commands an operator would type for each, such as {@code ip rule add ...}
 */
public record DiffView(String backend, long sequence, List<String> operations) {
}
