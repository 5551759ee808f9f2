package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * The seed's load balancer machine in a network namespace: its two conduit interfaces and its external VLAN with
 * the seed's addresses, IPv4 forwarding on, and a client in a namespace of its own that routes the VIPs' subnet
 * through it. For tests against the real kernel; needs root (skipped elsewhere).
 */
public final class SeedMachine implements AutoCloseable {

    private final TestNamespace lb;
    private final TestNamespace client;

    private SeedMachine(TestNamespace lb, TestNamespace client) {
        this.lb = lb;
        this.client = client;
    }

    /** Builds it, or skips the calling test when namespaces cannot be created here. */
    public static SeedMachine build(String prefix) {
        HostTools.require("nft"); // marked packets are counted with nft
        TestNamespace lb = TestNamespace.create(prefix + "-lb");
        TestNamespace client;
        try {
            client = TestNamespace.create(prefix + "-cl");
        } catch (RuntimeException e) {
            lb.close();
            throw e;
        }
        SeedMachine machine = new SeedMachine(lb, client);
        try {
            for (String command : List.of(
                    "link add conduit-a--d7c4 type veth peer name t0",
                    "link add conduit-a--f75b type veth peer name t1",
                    "link add ext-vlan0 type veth peer name gw",
                    "addr add 172.16.0.4/24 dev conduit-a--d7c4", "addr add fd00::4/64 dev conduit-a--d7c4 nodad",
                    "addr add 172.16.1.4/24 dev conduit-a--f75b",
                    "addr add fd00:0:0:1::4/64 dev conduit-a--f75b nodad",
                    "addr add 169.254.100.1/24 dev ext-vlan0", "addr add 100:100::1/64 dev ext-vlan0 nodad",
                    "link set conduit-a--d7c4 up", "link set conduit-a--f75b up", "link set ext-vlan0 up",
                    "link set t0 up", "link set t1 up", "link set gw up",
                    // The client's side: a veth into the client's namespace.
                    "link add c0 type veth peer name c1", "addr add 10.9.0.1/24 dev c0", "link set c0 up",
                    "link set c1 netns " + client.name())) {
                lb.ip(command.split(" "));
            }
            lb.exec("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"); // sysctl may not be installed
            for (String command : List.of("addr add 10.9.0.2/24 dev c1", "link set c1 up",
                    "route add 20.0.0.0/24 via 10.9.0.1")) {
                client.ip(command.split(" "));
            }
            return machine;
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /** @return the load balancer's namespace */
    public TestNamespace lb() {
        return lb;
    }

    /**
     * Counts, after routing, the packets that leave the load balancer with a fwmark
     * ({@code nft list chain inet check post} shows the counter).
     */
    public void countMarkedPackets() {
        lb.exec("nft", "add", "table", "inet", "check");
        lb.exec("nft", "add", "chain", "inet", "check", "post", "{ type filter hook postrouting priority 0; }");
        lb.exec("nft", "add", "rule", "inet", "check", "post", "meta", "mark", "!=", "0", "counter");
    }

    /** @return the marked-packets counter's rule as nft lists it */
    public String markedPackets() {
        return lb.exec("nft", "list", "chain", "inet", "check", "post");
    }

    /** The client opens a TCP connection to VIP:PORT; nobody answers, the SYN only has to get through. */
    public void clientConnects(String vip, int port) {
        client.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(vip, port), 1500);
            } catch (IOException expected) {
                // No target answers.
            }
            return null;
        });
    }

    @Override
    public void close() {
        client.close();
        lb.close();
    }
}
