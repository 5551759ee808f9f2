package io.statelesslb.sim;

/** Hand-built IPv4 packets for scenario tests. */
final class Packets {

    private Packets() {
    }

    static byte[] tcp4(int[] source, int sourcePort, int[] destination, int destinationPort) {
        byte[] p = ipv4(source, destination, 6, 20);
        p[20] = (byte) (sourcePort >> 8);
        p[21] = (byte) sourcePort;
        p[22] = (byte) (destinationPort >> 8);
        p[23] = (byte) destinationPort;
        p[32] = 0x50;
        p[33] = 0x02;
        return p;
    }

    static byte[] echo4(int[] source, int[] destination, int id) {
        byte[] p = ipv4(source, destination, 1, 8);
        p[20] = 8;
        p[24] = (byte) (id >> 8);
        p[25] = (byte) id;
        return p;
    }

    /** An ICMP "fragmentation needed" from {@code router} to {@code destination}, quoting {@code quoted}'s first 28 bytes. */
    static byte[] fragmentationNeeded4(int[] router, int[] destination, byte[] quoted) {
        byte[] p = ipv4(router, destination, 1, 8 + 28);
        p[20] = 3;
        p[21] = 4;
        p[26] = 0x05;
        p[27] = 0x78;
        System.arraycopy(quoted, 0, p, 28, 28);
        return p;
    }

    private static byte[] ipv4(int[] source, int[] destination, int protocol, int l4Bytes) {
        byte[] p = new byte[20 + l4Bytes];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = (byte) protocol;
        for (int i = 0; i < 4; i++) {
            p[12 + i] = (byte) source[i];
            p[16 + i] = (byte) destination[i];
        }
        return p;
    }

    static int[] ip(int a, int b, int c, int d) {
        return new int[] {a, b, c, d};
    }
}
