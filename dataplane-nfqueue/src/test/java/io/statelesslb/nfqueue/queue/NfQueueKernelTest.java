package io.statelesslb.nfqueue.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import io.statelesslb.nfqueue.nftables.Chain;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.QueueSupport;
import io.statelesslb.nfqueue.nftables.Rule;
import io.statelesslb.nfqueue.nftables.SetElements;
import io.statelesslb.nfqueue.nftables.Table;
import io.statelesslb.nfqueue.nftables.VipSet;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packets to a VIP, queued by the kernel to NFQUEUE, read here and let go with a fwmark that the kernel then sees:
 * in a network namespace of the test's own. Needs root; elsewhere skipped with the reason.
 */
class NfQueueKernelTest {

    private TestNamespace namespace;
    private NfQueue queue;

    @BeforeEach
    void createNamespace() {
        HostTools.require("nft"); // the marked packets are counted with nft
        namespace = TestNamespace.create("slb-nfq");
        for (String command : List.of("link add d0 type veth peer name d1", "addr add 10.0.0.1/24 dev d0",
                "link set d0 up", "link set d1 up",
                "route add 20.0.0.0/24 dev d0")) {
            namespace.ip(command.split(" "));
        }
    }

    @AfterEach
    void deleteNamespace() {
        if (queue != null) {
            queue.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void aQueuedPacketIsReadWholeAndLeavesWithTheFwmarkOfItsVerdict() throws Exception {
        try (NfTables nft = new NfTables(namespace.socket(Netlink.NETLINK_NETFILTER), 1)) {
            QueueSupport support = QueueSupport.probe(nft);
            // ICMP this host sends to a VIP is queued, as stateless-lb's nfqlb-local chain does.
            nft.batch()
                    .addTable(new Table("meridio-nfqlb"))
                    .addSet(new VipSet("meridio-nfqlb", "ipv4-vips", Family.IPV4, 1))
                    .addChain(new Chain("meridio-nfqlb", "nfqlb-local", Chain.Hook.OUTPUT, 0))
                    .addElements(new SetElements("meridio-nfqlb", "ipv4-vips",
                            List.of(Cidr.parse("20.0.0.1/32").get())))
                    .addRule(new Rule("meridio-nfqlb", "nfqlb-local", List.of(
                            new Expression.Meta(Expression.Meta.NFPROTO), new Expression.Cmp(true, new byte[] {2}),
                            Expression.Payload.network(16, 4), new Expression.Lookup("ipv4-vips", 1),
                            Expression.Counter.ZERO, support.queue(0, 1, false, false))))
                    .commit();
        }
        // What leaves with the mark is counted after the queue.
        namespace.exec("nft", "add", "table", "inet", "check");
        namespace.exec("nft", "add", "chain", "inet", "check", "post", "{ type filter hook postrouting priority 0; }");
        namespace.exec("nft", "add", "rule", "inet", "check", "post", "meta", "mark", "0x1389", "counter");
        queue = NfQueue.bind(namespace.socket(Netlink.NETLINK_NETFILTER), 0, 1024, false);

        // Datagrams from a socket inside the namespace, sent from a thread of their own, all at once: those that
        // queue up while one is decided are taken in a batch and answered in one datagram of verdicts.
        int count = 20;
        Thread sender = new Thread(() -> namespace.call(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                for (int i = 0; i < count; i++) {
                    socket.send(new DatagramPacket(new byte[] {'s', 'l', 'b'}, 3, InetAddress.getByName("20.0.0.1"),
                            4000));
                }
            }
            return null;
        }), "sender");
        sender.start();
        QueuedPacket packet = new QueuedPacket();
        List<String> seen = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        while (seen.size() < count) {
            if (!queue.next(packet)) {
                continue;
            }
            do {
                byte[] bytes = packet.buffer();
                int at = packet.offset();
                seen.add((packet.ipv6() ? "ipv6" : "ipv4") + " proto " + (bytes[at + 9] & 0xFF) + " to "
                        + (bytes[at + 16] & 0xFF) + "." + (bytes[at + 17] & 0xFF) + "." + (bytes[at + 18] & 0xFF)
                        + "." + (bytes[at + 19] & 0xFF) + ", " + packet.length() + " bytes");
                queue.accept(packet.id(), 0x1389);
            } while (queue.poll(packet));
            batches.add(queue.pending());
            queue.flush();
        }
        sender.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(seen).hasSize(count).containsOnly("ipv4 proto 17 to 20.0.0.1, 31 bytes");
        assertThat(queue.pending()).isZero();
        // Every verdict of every batch took effect: each packet left with its mark.
        assertThat(namespace.exec("nft", "list", "chain", "inet", "check", "post"))
                .as("batches of %s verdicts", batches)
                .contains("meta mark 0x00001389 counter packets " + count + " bytes " + 31 * count);
    }
}
