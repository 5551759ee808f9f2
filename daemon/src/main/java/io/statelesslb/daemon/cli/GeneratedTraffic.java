package io.statelesslb.daemon.cli;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.FlowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** TCP SYNs from random clients to one flow's first VIP and port, for the demo (fixed seed: the same every run). */
final class GeneratedTraffic {

    final Cidr vip;
    final int port;
    final List<byte[]> packets;

    private GeneratedTraffic(Cidr vip, int port, List<byte[]> packets) {
        this.vip = vip;
        this.port = port;
        this.packets = packets;
    }

    static GeneratedTraffic to(FlowSpec flow, int count) {
        Cidr vip = flow.destinations().head();
        int port = flow.destinationPorts().isEmpty() ? 80 : flow.destinationPorts().head().first();
        Random random = new Random(20261126);
        List<byte[]> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            packets.add(vip.family() == Family.IPV4 ? syn4(random, vip, port) : syn6(random, vip, port));
        }
        return new GeneratedTraffic(vip, port, packets);
    }

    private static byte[] syn4(Random random, Cidr vip, int port) {
        byte[] p = new byte[40];
        p[0] = 0x45;
        p[3] = 40;
        p[8] = 64;
        p[9] = 6;
        p[12] = (byte) (10 + random.nextInt(200));
        p[13] = (byte) random.nextInt(256);
        p[14] = (byte) random.nextInt(256);
        p[15] = (byte) (1 + random.nextInt(254));
        int address = vip.address().ipv4Bits();
        for (int i = 0; i < 4; i++) {
            p[16 + i] = (byte) (address >>> (24 - 8 * i));
        }
        ports(p, 20, random, port);
        return p;
    }

    private static byte[] syn6(Random random, Cidr vip, int port) {
        byte[] p = new byte[60];
        p[0] = 0x60;
        p[5] = 20;
        p[6] = 6;
        p[7] = 64;
        p[8] = (byte) 0xFD;
        for (int i = 18; i < 24; i++) {
            p[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < 8; i++) {
            p[24 + i] = (byte) (vip.address().high() >>> (56 - 8 * i));
            p[32 + i] = (byte) (vip.address().low() >>> (56 - 8 * i));
        }
        ports(p, 40, random, port);
        return p;
    }

    private static void ports(byte[] p, int at, Random random, int port) {
        int source = 1024 + random.nextInt(60000);
        p[at] = (byte) (source >> 8);
        p[at + 1] = (byte) source;
        p[at + 2] = (byte) (port >> 8);
        p[at + 3] = (byte) port;
        p[at + 12] = 0x50;
        p[at + 13] = 0x02;
    }
}
