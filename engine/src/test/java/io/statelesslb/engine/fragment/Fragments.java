package io.statelesslb.engine.fragment;

/** Builds IPv4 and IPv6 fragments of one UDP datagram for tests. */
final class Fragments {

    private Fragments() {
    }

    /** @return an IPv4 fragment from 10.0.0.{source} to 20.0.0.1 with {@code id}, at {@code offset8} (8-byte units) */
    static byte[] ipv4(int source, int id, int offset8, boolean more, int payloadBytes) {
        byte[] p = new byte[20 + payloadBytes];
        p[0] = 0x45;
        p[2] = (byte) (p.length >> 8);
        p[3] = (byte) p.length;
        p[4] = (byte) (id >> 8);
        p[5] = (byte) id;
        int fragment = (more ? 0x2000 : 0) | offset8;
        p[6] = (byte) (fragment >> 8);
        p[7] = (byte) fragment;
        p[8] = 64;
        p[9] = 17;
        p[12] = 10;
        p[15] = (byte) source;
        p[16] = 20;
        p[19] = 1;
        if (offset8 == 0 && payloadBytes >= 8) {
            p[20] = (byte) 0xC3;
            p[21] = 0x50;
            p[22] = 0x0F;
            p[23] = (byte) 0xA0;
        }
        for (int i = 28; i < p.length; i++) {
            p[i] = (byte) (i + id);
        }
        return p;
    }

    /** @return an IPv6 fragment from fd00::{source} to 2000::1 with {@code id} */
    static byte[] ipv6(int source, int id, int offset8, boolean more, int payloadBytes) {
        byte[] p = new byte[48 + payloadBytes];
        p[0] = 0x60;
        p[5] = (byte) (8 + payloadBytes);
        p[6] = 44;
        p[7] = 64;
        p[8] = (byte) 0xFD;
        p[23] = (byte) source;
        p[24] = 0x20;
        p[39] = 1;
        p[40] = 17;
        int field = (offset8 << 3) | (more ? 1 : 0);
        p[42] = (byte) (field >> 8);
        p[43] = (byte) field;
        p[44] = (byte) (id >>> 24);
        p[45] = (byte) (id >>> 16);
        p[46] = (byte) (id >>> 8);
        p[47] = (byte) id;
        return p;
    }
}
