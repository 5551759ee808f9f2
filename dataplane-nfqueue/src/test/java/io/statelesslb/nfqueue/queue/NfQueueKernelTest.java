package io.statelesslb.nfqueue.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
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
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Queues what this host sends to 20.0.0.1 to queue 0 (as the nfqlb-local chain does), counts what leaves
     * marked, and binds the queue.
     */
    private void queueToTheVip() throws Exception {
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
    }

    /** Sends {@code count} UDP datagrams to the VIP from inside the namespace, each with its number last. */
    private void send(int count) {
        namespace.call(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                for (int i = 0; i < count; i++) {
                    socket.send(new DatagramPacket(new byte[] {'s', 'l', 'b', (byte) i}, 4,
                            InetAddress.getByName("20.0.0.1"), 4000));
                }
            }
            return null;
        });
    }

    @Test
    void aQueuedPacketIsReadWholeAndLeavesWithTheFwmarkOfItsVerdict() throws Exception {
        queueToTheVip();
        // Datagrams from a socket inside the namespace, all sent before any is read: a burst of more than one
        // receive's worth, taken a receive of several at a time and answered a datagram of verdicts at a time.
        int count = 3 * NfQueue.MESSAGES + 5;
        send(count);
        QueuedPacket packet = new QueuedPacket();
        List<String> seen = new ArrayList<>();
        List<Integer> sentTogether = new ArrayList<>();
        while (seen.size() < count) {
            if (!queue.next(packet)) {
                continue;
            }
            int batch = 0;
            do {
                byte[] bytes = packet.buffer();
                int at = packet.offset();
                seen.add((packet.ipv6() ? "ipv6" : "ipv4") + " proto " + (bytes[at + 9] & 0xFF) + " to "
                        + (bytes[at + 16] & 0xFF) + "." + (bytes[at + 17] & 0xFF) + "." + (bytes[at + 18] & 0xFF)
                        + "." + (bytes[at + 19] & 0xFF) + ", " + packet.length() + " bytes, datagram "
                        + (bytes[at + packet.length() - 1] & 0xFF));
                queue.accept(packet.id(), 0x1389);
                batch++;
            } while (batch < NfQueue.BATCH && queue.poll(packet));
            sentTogether.add(queue.pending());
            queue.flush();
        }
        // Each packet read whole from its own place in the receive memory, in the order sent.
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add("ipv4 proto 17 to 20.0.0.1, 32 bytes, datagram " + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(sentTogether).as("verdicts per datagram").contains(NfQueue.BATCH);
        assertThat(queue.pending()).isZero();
        // Every verdict of every batch took effect: each packet left with its mark.
        assertThat(namespace.exec("nft", "list", "chain", "inet", "check", "post"))
                .as("batches of %s verdicts", sentTogether)
                .contains("meta mark 0x00001389 counter packets " + count + " bytes " + 32 * count);
    }

    @Test
    void aBurstIsReadAndAnsweredWithoutAllocating() throws Exception {
        queueToTheVip();
        QueuedPacket packet = new QueuedPacket();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int count = 3 * NfQueue.MESSAGES + 5;
        long[] allocated = new long[8];
        int[] marks = new int[8];
        for (int burst = 0; burst < 8; burst++) {
            send(count);
            long before = threads.getCurrentThreadAllocatedBytes();
            int read = 0;
            int checksum = 0;
            while (read < count) {
                if (!queue.next(packet)) {
                    continue;
                }
                do {
                    checksum += packet.buffer()[packet.offset() + packet.length() - 1];
                    queue.accept(packet.id(), 0x1389);
                    read++;
                } while (queue.poll(packet));
                queue.flush();
            }
            allocated[burst] = threads.getCurrentThreadAllocatedBytes() - before;
            marks[burst] = checksum;
        }
        // The first burst loads classes and links the native calls; the later ones are the packet path as it runs.
        // An object per packet would be 16 bytes or more each; the JIT may allocate once while it recompiles.
        long later = Arrays.stream(allocated).skip(1).sum();
        assertThat(later).as("bytes allocated for bursts 2 to %d of %d packets each: %s", allocated.length, count,
                Arrays.toString(allocated)).isLessThan((long) count * (allocated.length - 1));
        int expected = 0;
        for (int i = 0; i < count; i++) {
            expected += (byte) i;
        }
        assertThat(marks).as("each burst's datagram numbers, summed").containsOnly(expected);
        assertThat(namespace.exec("nft", "list", "chain", "inet", "check", "post"))
                .contains("meta mark 0x00001389 counter packets " + allocated.length * count + " ");
    }
}
