package io.statelesslb.cli;

import io.statelesslb.dataplane.packet.PacketBuilder;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
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
            String client = vip.family() == Family.IPV4
                    ? (10 + random.nextInt(200)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                            + (1 + random.nextInt(254))
                    : "fd00::" + Integer.toHexString(random.nextInt(0x10000)) + ":"
                            + Integer.toHexString(random.nextInt(0x10000)) + ":"
                            + Integer.toHexString(random.nextInt(0x10000));
            packets.add(PacketBuilder.first(Protocol.TCP, IpAddress.parse(client).get(), 1024 + random.nextInt(60000),
                    vip.address(), port));
        }
        return new GeneratedTraffic(vip, port, packets);
    }
}
