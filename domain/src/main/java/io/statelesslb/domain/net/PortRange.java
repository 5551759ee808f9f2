package io.statelesslb.domain.net;

import io.vavr.control.Either;

/** An inclusive range of L4 ports, written {@code 4000} or {@code 4000-4010} as nfqlb writes them. */
public record PortRange(int first, int last) implements Comparable<PortRange> {

    public PortRange {
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("ports=" + first + "-" + last
                    + " (expected: 0 <= first <= last <= 65535)");
        }
    }

    /**
     * Parses {@code PORT} or {@code FIRST-LAST}.
     *
     * @param text to parse, such as {@code 1024-65535}
     * @return the range, or the reason it is malformed
     */
    public static Either<String, PortRange> parse(String text) {
        if (text == null) {
            return Either.left("ports=null (expected: PORT or FIRST-LAST within 0..65535)");
        }
        int dash = text.indexOf('-');
        int first = parsePort(dash < 0 ? text : text.substring(0, dash));
        int last = dash < 0 ? first : parsePort(text.substring(dash + 1));
        if (first < 0 || last < 0 || first > last) {
            return Either.left("ports=" + text + " (expected: PORT or FIRST-LAST with 0 <= FIRST <= LAST <= 65535)");
        }
        return Either.right(new PortRange(first, last));
    }

    /** @return whether {@code port} lies in this range */
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public int compareTo(PortRange other) {
        return first != other.first ? Integer.compare(first, other.first) : Integer.compare(last, other.last);
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }

    private static int parsePort(String text) {
        int value = Decimals.parse(text, 5);
        return value <= 65535 ? value : -1;
    }
}
