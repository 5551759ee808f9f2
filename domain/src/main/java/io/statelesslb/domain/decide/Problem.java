package io.statelesslb.domain.decide;

/**
 * One reason a command was rejected: the field at fault and a message that names the value and what was
 * expected, such as {@code identifier=0 (expected: 1..100 for stream stream-a-i)}.
 */
public record Problem(ProblemKind kind, String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
