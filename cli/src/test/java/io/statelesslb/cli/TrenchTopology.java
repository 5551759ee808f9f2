package io.statelesslb.cli;

import static io.statelesslb.cli.SeedTopology.run;

import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A trench of three load balancers in network namespaces, behind a gateway that spreads the VIP's flows over them
 * with a multipath route hashed on ports, and in front of four targets on one conduit bridge that every load
 * balancer reaches. Targets answer UDP on the VIP with their name; their replies go back through the first load
 * balancer (the return path is not what is tested).
 * <pre>
 *   client 10.9.0.2 -- 10.9.0.1 gateway 169.254.100.150 (bridge) -- ext-vlan0 169.254.100.N  lbN  (N = 1, 2, 3)
 *   20.0.0.1/32: nexthop via 169.254.100.1, .2, .3 (fib_multipath_hash_policy 1: source and destination ports)
 *   lbN conduit-a-x 172.16.0.N/24 -- bridge -- t1..t4 172.16.0.11..14 (default via 172.16.0.1)
 * </pre>
 * Needs root, {@code ip} and {@code nft}; the calling test is skipped elsewhere.
 */
final class TrenchTopology implements AutoCloseable {

    static final String VIP = "20.0.0.1";
    static final int INSTANCES = 3;
    /** Requests longer than this are answered with the target's name and their length. */
    static final int LARGE = 1000;

    private final TestNetwork network = new TestNetwork();
    private final List<TestNamespace> lbs = new ArrayList<>();
    private final List<TestNamespace> targets = new ArrayList<>();
    private TestNamespace client;
    private TestNamespace gateway;

    private TrenchTopology() {
    }

    /** Builds it, or skips the calling test when namespaces cannot be made here. */
    static TrenchTopology build(String prefix) {
        HostTools.require("nft");
        return TestNetwork.build(new TrenchTopology(), topology -> topology.wire(prefix));
    }

    private TestNamespace namespace(String prefix) {
        return network.namespace(prefix);
    }

    private void wire(String prefix) {
        client = namespace(prefix + "-cl");
        gateway = namespace(prefix + "-gw");
        TestNamespace conduit = namespace(prefix + "-s0");
        run(gateway, "link add c0 type veth peer name c1 netns " + client.name(),
                "addr add 10.9.0.1/24 dev c0", "link set c0 up", "link add ext type bridge",
                "addr add 169.254.100.150/24 dev ext", "link set ext up");
        gateway.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward;"
                + " echo 1 > /proc/sys/net/ipv4/fib_multipath_hash_policy");
        run(client, "addr add 10.9.0.2/24 dev c1", "link set c1 up", "link set lo up",
                "route add default via 10.9.0.1");
        run(conduit, "link add br0 type bridge", "link set br0 up");
        StringBuilder multipath = new StringBuilder("route add " + VIP + "/32");
        for (int n = 1; n <= INSTANCES; n++) {
            TestNamespace lb = namespace(prefix + "-lb" + n);
            lbs.add(lb);
            run(gateway, "link add lb" + n + " type veth peer name ext-vlan0 netns " + lb.name(),
                    "link set lb" + n + " master ext", "link set lb" + n + " up");
            run(conduit, "link add up" + n + " type veth peer name conduit-a-x netns " + lb.name(),
                    "link set up" + n + " master br0", "link set up" + n + " up");
            run(lb, "addr add 169.254.100." + n + "/24 dev ext-vlan0", "link set ext-vlan0 up", "link set lo up",
                    "addr add 172.16.0." + n + "/24 dev conduit-a-x", "link set conduit-a-x up");
            lb.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward;"
                    + " echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter");
            multipath.append(" nexthop via 169.254.100.").append(n).append(" dev ext");
        }
        run(gateway, multipath.toString());
        for (int t = 1; t <= 4; t++) {
            TestNamespace target = namespace(prefix + "-t" + t);
            targets.add(target);
            run(conduit, "link add t" + t + " type veth peer name eth0 netns " + target.name(),
                    "link set t" + t + " master br0", "link set t" + t + " up");
            run(target, "link set lo up", "addr add 172.16.0." + (10 + t) + "/24 dev eth0", "link set eth0 up",
                    "addr add " + VIP + "/32 dev lo", "route add default via 172.16.0.1");
        }
    }

    /** @return the namespace of load balancer {@code n} (1..3) */
    TestNamespace lb(int n) {
        return lbs.get(n - 1);
    }

    /** @return the address of target {@code t} (1..4) */
    static String targetAddress(int t) {
        return "172.16.0." + (10 + t);
    }

    /**
     * Every target answers UDP on {@code VIP:port} with {@code tN} (and, for a request over {@link #LARGE} bytes,
     * its length: {@code tN 3000}), until the topology is closed.
     */
    void serve(int port) {
        for (int t = 1; t <= targets.size(); t++) {
            String answer = "t" + t;
            DatagramSocket udp = targets.get(t - 1).call(() -> new DatagramSocket(
                    new InetSocketAddress(InetAddress.getByName(VIP), port)));
            network.keep(udp);
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[65536];
                while (!udp.isClosed()) {
                    try {
                        DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                        udp.receive(request);
                        // A large datagram (reassembled here from its fragments) is answered with its length too.
                        String text = request.getLength() > LARGE ? answer + " " + request.getLength() : answer;
                        byte[] reply = text.getBytes(StandardCharsets.UTF_8);
                        udp.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                    } catch (IOException e) {
                        // Closed: the topology is going away.
                    }
                }
            }, answer + "-udp-" + port);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** @return the name of the target that answered a UDP request to {@code VIP:port} from {@code localPort} */
    String ask(int port, int localPort, int timeoutMillis) {
        return ask(new InetSocketAddress(localPort), "who".getBytes(StandardCharsets.UTF_8), port, timeoutMillis);
    }

    /** @return the answer to {@code request} sent from {@code local} to {@code VIP:port}, or null on a timeout */
    private String ask(InetSocketAddress local, byte[] request, int port, int timeoutMillis) {
        return client.call(() -> {
            try (DatagramSocket socket = new DatagramSocket(local)) {
                socket.setSoTimeout(timeoutMillis);
                socket.send(new DatagramPacket(request, request.length, InetAddress.getByName(VIP), port));
                DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                socket.receive(reply);
                return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Makes the gateway send every datagram's first fragment to load balancer {@code first} and its later fragments
     * to {@code later}, as a router that hashes a first fragment's ports (and a later one's addresses) may; and gives
     * the client {@code sources} more addresses, 10.9.0.10 up, so that datagrams differ in the instance owning them.
     */
    void splitFragments(int first, int later, int sources) {
        gateway.exec("nft", "add table ip split");
        gateway.exec("nft", "add chain ip split pre { type filter hook prerouting priority mangle; }");
        String toVip = "add rule ip split pre ip daddr " + VIP;
        gateway.exec("nft", toVip + " ip frag-off & 0x3fff == 0x2000 meta mark set 1"); // offset 0, more to come
        gateway.exec("nft", toVip + " ip frag-off & 0x1fff != 0 meta mark set 2"); // any later offset
        run(gateway, "rule add fwmark 1 lookup 101", "rule add fwmark 2 lookup 102",
                "route add " + VIP + "/32 via 169.254.100." + first + " dev ext table 101",
                "route add " + VIP + "/32 via 169.254.100." + later + " dev ext table 102");
        for (int s = 0; s < sources; s++) {
            run(client, "addr add 10.9.0." + (10 + s) + "/24 dev c1");
        }
    }

    /** Makes the gateway drop every first fragment to the VIP from now on: the later ones wait for it in vain. */
    void dropFirstFragments() {
        gateway.exec("nft", "insert rule ip split pre ip daddr " + VIP
                + " ip frag-off & 0x3fff == 0x2000 drop");
    }

    /**
     * @return what the target that got a {@code size}-byte UDP datagram (fragmented by the client's kernel) from
     *         {@code source}:{@code localPort} to {@code VIP:port} answered, or null when none did
     */
    String askLarge(String source, int port, int localPort, int size, int timeoutMillis) {
        return ask(new InetSocketAddress(source, localPort), new byte[size], port, timeoutMillis);
    }

    @Override
    public void close() {
        network.close();
    }
}
