package io.statelesslb.cli;

import io.statelesslb.nfqueue.netlink.TestNamespace;

/** A namespace made to drop, silently, every packet from some addresses: a peer that hangs rather than dies. */
final class TestNamespaceFirewall {

    private static final String TABLE = "slb-test-silence";

    private final TestNamespace namespace;

    TestNamespaceFirewall(TestNamespace namespace) {
        this.namespace = namespace;
    }

    /** Drops whatever comes from or goes to {@code addresses}, from now on. */
    void dropEverythingFrom(String... addresses) {
        namespace.exec("nft", "add", "table", "inet", TABLE);
        namespace.exec("nft", "add", "chain", "inet", TABLE, "in", "{ type filter hook input priority -10; }");
        namespace.exec("nft", "add", "chain", "inet", TABLE, "out", "{ type filter hook output priority -10; }");
        for (String address : addresses) {
            String family = address.contains(":") ? "ip6" : "ip";
            namespace.exec("nft", "add", "rule", "inet", TABLE, "in", family, "saddr", address, "drop");
            namespace.exec("nft", "add", "rule", "inet", TABLE, "out", family, "daddr", address, "drop");
        }
    }

    /** Lets everything through again. */
    void lift() {
        namespace.exec("nft", "delete", "table", "inet", TABLE);
    }
}
