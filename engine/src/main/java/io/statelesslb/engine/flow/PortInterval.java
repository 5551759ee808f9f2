package io.statelesslb.engine.flow;

/** An inclusive range of L4 ports, as nfqlb's {@code --dports=4000-4010}. */
public record PortInterval(int first, int last) {

    public PortInterval {
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("ports=" + first + "-" + last
                    + " (expected: 0 <= first <= last <= 65535)");
        }
    }
}
