package io.statelesslb.nfqueue.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The VIP table in a real kernel: a network namespace of the test's own, checked against what {@code nft list}
 * reads back. Needs root (to create the namespace); elsewhere it is skipped with the reason.
 */
class NfTablesKernelTest {

    private static final String TABLE = "meridio-nfqlb";

    private TestNamespace namespace;
    private NfTables nft;

    @BeforeEach
    void createNamespace() {
        namespace = TestNamespace.create("slb-nft");
        nft = new NfTables(namespace.socket(Netlink.NETLINK_NETFILTER), 1);
    }

    @AfterEach
    void deleteNamespace() {
        if (nft != null) {
            nft.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void theVipTableIsCreatedAsOneTransactionAndReadBack() {
        nft.batch()
                .addTable(new Table(TABLE))
                .addSet(new VipSet(TABLE, "ipv4-vips", Family.IPV4, 1))
                .addSet(new VipSet(TABLE, "ipv6-vips", Family.IPV6, 2))
                .addChain(new Chain(TABLE, "nfqlb", Chain.Hook.PREROUTING, 0))
                .addChain(new Chain(TABLE, "nfqlb-local", Chain.Hook.OUTPUT, 0))
                .addElements(new SetElements(TABLE, "ipv4-vips", List.of(cidr("20.0.0.1/32"), cidr("10.0.0.0/24"))))
                .addElements(new SetElements(TABLE, "ipv6-vips", List.of(cidr("2000::1/128"))))
                .commit();
        assertThat(namespace.exec("nft", "list", "ruleset")).isEqualTo("""
                table inet meridio-nfqlb {
                	set ipv4-vips {
                		type ipv4_addr
                		flags interval
                		elements = { 10.0.0.0/24, 20.0.0.1 }
                	}

                	set ipv6-vips {
                		type ipv6_addr
                		flags interval
                		elements = { 2000::1 }
                	}

                	chain nfqlb {
                		type filter hook prerouting priority filter; policy accept;
                	}

                	chain nfqlb-local {
                		type filter hook output priority filter; policy accept;
                	}
                }
                """);
        assertThat(nft.tables()).containsExactly(TABLE);
        assertThat(nft.elements(TABLE, "ipv4-vips", Family.IPV4)).containsExactly(cidr("10.0.0.0/24"),
                cidr("20.0.0.1/32"));
        assertThat(nft.elements(TABLE, "ipv6-vips", Family.IPV6)).containsExactly(cidr("2000::1/128"));

        nft.batch().deleteElements(new SetElements(TABLE, "ipv4-vips", List.of(cidr("20.0.0.1/32")))).commit();
        assertThat(nft.elements(TABLE, "ipv4-vips", Family.IPV4)).containsExactly(cidr("10.0.0.0/24"));
    }

    @Test
    void aRefusedBatchChangesNothing() {
        nft.batch().addTable(new Table(TABLE)).commit();
        assertThatThrownBy(() -> nft.batch()
                .addSet(new VipSet(TABLE, "ipv4-vips", Family.IPV4, 1))
                .addTable(new Table(TABLE))
                .commit())
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST);
                    assertThat(e).hasMessage("nftables answers: File exists");
                });
        assertThat(namespace.exec("nft", "list", "ruleset"))
                .as("the set of the refused batch was not created").isEqualTo("table inet meridio-nfqlb {\n}\n");
        nft.batch().deleteTable(new Table(TABLE)).commit();
        assertThat(nft.tables()).isEmpty();
        assertThatThrownBy(() -> nft.batch().deleteTable(new Table(TABLE)).commit())
                .isInstanceOf(NetlinkException.class).hasMessage("nftables answers: No such file or directory");
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).get();
    }
}
