package io.statelesslb.engine.fragment;

/** Fragment builders for tests of other packages. */
public final class FragmentsForTests {

    private FragmentsForTests() {
    }

    /** @return an IPv4 UDP fragment from 10.0.0.7 (port 50000) to 20.0.0.1 (port 4000) */
    public static byte[] ipv4To20(int id, int offset8, boolean more, int payloadBytes) {
        return Fragments.ipv4(7, id, offset8, more, payloadBytes);
    }
}
