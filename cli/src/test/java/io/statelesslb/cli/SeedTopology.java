package io.statelesslb.cli;

import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed's topology in network namespaces, with real servers: a client behind a gateway, the load balancer with
 * its external VLAN and two conduits (one with an MTU of 1400), each conduit a bridge in a namespace of its own with
 * two target namespaces on it. Every target holds the VIPs on its loopback, routes back through the load balancer,
 * and answers TCP and UDP on the ports asked for with its name and the port. The gateway routes the VIPs to the load
 * balancer only as its BIRD learns them over BGP ({@link GatewayRouter}): no route to a VIP is made by hand.
 * <pre>
 *   client 10.9.0.2 fd09::2 -- 10.9.0.1 fd09::1 gateway 169.254.100.150 100:100::150 -- ext-vlan0 169.254.100.1
 *   100:100::1 LB conduit-a--d7c4 172.16.0.4 fd00::4 (mtu 1400) -- bridge -- t1 172.16.0.6, t2 172.16.0.8
 *                 conduit-a--f75b 172.16.1.4 fd00:0:0:1::4       -- bridge -- t3 172.16.1.6, t4 172.16.1.8
 * </pre>
 * Needs root, {@code ip} (iproute2), {@code nft} (nftables) and {@code bird} (bird2); the calling test is skipped
 * elsewhere.
 */
final class SeedTopology implements AutoCloseable {

    /**
     * A target: its namespace, its addresses, the conduit interface of the load balancer it is behind, and the
     * bridge it is plugged into (its port there has the target's name).
     */
    record Target(String name, TestNamespace namespace, String ipv4, String ipv6, String conduit,
                  TestNamespace bridge) {

        /** Unplugs the target's cable: it no longer hears or answers anything, and keeps its addresses. */
        void unplug() {
            bridge.ip("link", "set", name, "down");
        }

        void plugIn() {
            bridge.ip("link", "set", name, "up");
        }
    }

    private final TestNetwork network = new TestNetwork();
    private final List<Target> targets = new ArrayList<>();
    private TestNamespace client;
    private TestNamespace gateway;
    private TestNamespace lb;

    private SeedTopology() {
    }

    /** Builds it, or skips the calling test when namespaces cannot be made here. */
    static SeedTopology build(String prefix) {
        HostTools.require("nft");
        HostTools.require("bird");
        return TestNetwork.build(new SeedTopology(), topology -> topology.wire(prefix));
    }

    private TestNamespace namespace(String prefix) {
        return network.namespace(prefix);
    }

    private void wire(String prefix) {
        client = namespace(prefix + "-cl");
        gateway = namespace(prefix + "-gw");
        lb = namespace(prefix + "-lb");
        TestNamespace switch0 = namespace(prefix + "-s0");
        TestNamespace switch1 = namespace(prefix + "-s1");
        // Client <-> gateway.
        run(gateway, "link add c0 type veth peer name c1 netns " + client.name(),
                "addr add 10.9.0.1/24 dev c0", "addr add fd09::1/64 dev c0 nodad", "link set c0 up",
                // Gateway <-> the load balancer's external VLAN.
                "link add gw type veth peer name ext-vlan0 netns " + lb.name(),
                "addr add 169.254.100.150/24 dev gw", "addr add 100:100::150/64 dev gw nodad", "link set gw up");
        forwarding(gateway);
        run(client, "addr add 10.9.0.2/24 dev c1", "addr add fd09::2/64 dev c1 nodad", "link set c1 up",
                "link set lo up", "route add default via 10.9.0.1", "route add default via fd09::1");
        run(lb, "addr add 169.254.100.1/24 dev ext-vlan0", "addr add 100:100::1/64 dev ext-vlan0 nodad",
                "link set ext-vlan0 up", "link set lo up");
        forwarding(lb);
        // The conduits: a bridge each, in a namespace of its own.
        conduit(switch0, "conduit-a--d7c4", "172.16.0.4/24", "fd00::4/64", 1400);
        conduit(switch1, "conduit-a--f75b", "172.16.1.4/24", "fd00:0:0:1::4/64", 1500);
        target(prefix, switch0, "t1", "172.16.0.6", "fd00::6", "172.16.0.4", "fd00::4", "conduit-a--d7c4", 1400);
        target(prefix, switch0, "t2", "172.16.0.8", "fd00::8", "172.16.0.4", "fd00::4", "conduit-a--d7c4", 1400);
        target(prefix, switch1, "t3", "172.16.1.6", "fd00:0:0:1::6", "172.16.1.4", "fd00:0:0:1::4",
                "conduit-a--f75b", 1500);
        target(prefix, switch1, "t4", "172.16.1.8", "fd00:0:0:1::8", "172.16.1.4", "fd00:0:0:1::4",
                "conduit-a--f75b", 1500);
    }

    private void conduit(TestNamespace bridge, String device, String ipv4, String ipv6, int mtu) {
        run(bridge, "link add br0 type bridge", "link set br0 up",
                "link add up0 type veth peer name " + device + " netns " + lb.name(),
                "link set up0 master br0", "link set up0 mtu " + mtu, "link set up0 up");
        run(lb, "link set " + device + " mtu " + mtu, "addr add " + ipv4 + " dev " + device,
                "addr add " + ipv6 + " dev " + device + " nodad", "link set " + device + " up");
    }

    private void target(String prefix, TestNamespace bridge, String name, String ipv4, String ipv6, String via4,
                        String via6, String conduit, int mtu) {
        TestNamespace namespace = namespace(prefix + "-" + name);
        run(bridge, "link add " + name + " type veth peer name eth0 netns " + namespace.name(),
                "link set " + name + " master br0", "link set " + name + " mtu " + mtu, "link set " + name + " up");
        run(namespace, "link set lo up", "link set eth0 mtu " + mtu, "addr add " + ipv4 + "/24 dev eth0",
                "addr add " + ipv6 + "/64 dev eth0 nodad", "link set eth0 up",
                "addr add 20.0.0.1/32 dev lo", "addr add 2000::1/128 dev lo",
                "route add default via " + via4, "route add default via " + via6);
        targets.add(new Target(name, namespace, ipv4, ipv6, conduit, bridge));
    }

    private static void forwarding(TestNamespace namespace) {
        namespace.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward;"
                + " echo 1 > /proc/sys/net/ipv6/conf/all/forwarding");
    }

    /** Runs each {@code ip} command (its arguments split at spaces) in {@code namespace}. */
    static void run(TestNamespace namespace, String... commands) {
        for (String command : commands) {
            namespace.ip(command.split(" "));
        }
    }

    TestNamespace client() {
        return client;
    }

    TestNamespace gateway() {
        return gateway;
    }

    TestNamespace lb() {
        return lb;
    }

    List<Target> targets() {
        return targets;
    }

    /** @return the target whose IPv4 or IPv6 address is {@code address} */
    Target targetAt(String address) {
        return targets.stream().filter(t -> t.ipv4().equals(address) || t.ipv6().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no target at " + address));
    }

    /** Every target answers TCP and UDP on {@code port} with {@code NAME:PORT}, until the topology is closed. */
    void serve(int port) {
        for (Target target : targets) {
            ServerSocket tcp = target.namespace().call(() -> new ServerSocket(port));
            network.keep(tcp);
            String answer = target.name() + ":" + port + "\n";
            daemon(target.name() + "-tcp-" + port, () -> {
                while (!tcp.isClosed()) {
                    try (Socket accepted = tcp.accept()) {
                        accepted.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        // Closed: the topology is going away.
                    }
                }
            });
            // Bound to each VIP, so that a reply leaves from the VIP (from the wildcard it would leave from eth0's
            // address, which the load balancer does not route back).
            for (String vip : List.of("20.0.0.1", "2000::1")) {
                DatagramSocket udp = target.namespace().call(() -> new DatagramSocket(
                        new InetSocketAddress(InetAddress.getByName(vip), port)));
                network.keep(udp);
                daemon(target.name() + "-udp-" + vip + "-" + port, () -> {
                    byte[] buffer = new byte[2048];
                    while (!udp.isClosed()) {
                        try {
                            DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                            udp.receive(request);
                            byte[] reply = answer.strip().getBytes(StandardCharsets.UTF_8);
                            udp.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                        } catch (IOException e) {
                            // Closed: the topology is going away.
                        }
                    }
                });
            }
        }
    }

    private static void daemon(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The client opens a TCP connection to {@code vip:port} from {@code localPort} and reads the answer.
     *
     * @return {@code NAME:PORT} of the target that answered, or null when nothing answered within the timeout
     */
    String connect(String vip, int port, int localPort, int timeoutMillis) {
        return client.call(() -> {
            try (Socket socket = new Socket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(localPort));
                socket.connect(new InetSocketAddress(InetAddress.getByName(vip), port), timeoutMillis);
                socket.setSoTimeout(timeoutMillis);
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
            } catch (IOException e) {
                return null;
            }
        });
    }

    /** @return a UDP socket of the client's, bound to {@code localPort} */
    DatagramSocket clientSocket(int localPort) {
        return client.call(() -> new DatagramSocket(localPort));
    }

    /** @return the answer of a UDP request to {@code vip:port} from {@code localPort}, or null on a timeout */
    String ask(String vip, int port, int localPort, int timeoutMillis) {
        return client.call(() -> {
            try (DatagramSocket socket = new DatagramSocket(localPort)) {
                socket.setSoTimeout(timeoutMillis);
                byte[] request = "who".getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(request, request.length, InetAddress.getByName(vip), port));
                DatagramPacket reply = new DatagramPacket(new byte[256], 256);
                socket.receive(reply);
                return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** @return {@code ip [-6] rule}, routes of every table and {@code nft list ruleset} of the load balancer */
    Map<String, String> lbKernel() {
        Map<String, String> kernel = new TreeMap<>();
        kernel.put("ip rule", lb.ip("rule"));
        kernel.put("ip -6 rule", lb.ip("-6", "rule"));
        kernel.put("ip route table all", lb.ip("route", "show", "table", "all"));
        kernel.put("ip -6 route table all", lb.ip("-6", "route", "show", "table", "all"));
        kernel.put("nft list ruleset", lb.exec("nft", "list", "ruleset").replaceAll("packets \\d+ bytes \\d+",
                "packets N bytes N"));
        return kernel;
    }

    @Override
    public void close() {
        network.close();
    }
}
