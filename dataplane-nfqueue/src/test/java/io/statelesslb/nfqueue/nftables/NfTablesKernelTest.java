package io.statelesslb.nfqueue.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.HostTools;
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
        HostTools.require("nft"); // what the kernel holds is read back with nft list
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

    @Test
    void theQueueingRuleTakesTheWayThisKernelSupports() {
        QueueSupport support = QueueSupport.probe(nft);
        assertThat(nft.tables()).as("the probe leaves nothing behind").isEmpty();
        if (support == QueueSupport.XTABLES) {
            HostTools.requireXtablesPrinting();
        }
        nft.batch()
                .addTable(new Table(TABLE))
                .addSet(new VipSet(TABLE, "ipv4-vips", Family.IPV4, 1))
                .addChain(new Chain(TABLE, "nfqlb", Chain.Hook.PREROUTING, 0))
                .addRule(new Rule(TABLE, "nfqlb", List.of(new Expression.Meta(Expression.Meta.NFPROTO),
                        new Expression.Cmp(true, new byte[] {2}), Expression.Payload.network(16, 4),
                        new Expression.Lookup("ipv4-vips", 1), Expression.Counter.ZERO,
                        support.queue(0, 4, false, true))))
                .commit();
        // With the xtables target, nft prints a warning of libxtables' in the middle of the rule; the words are there.
        assertThat(namespace.exec("nft", "list", "ruleset")).contains("ip daddr @ipv4-vips counter packets 0 bytes 0")
                .contains("queue num 0-3").contains("fanout");
    }

    @Test
    void chainsAndRulesReadBackAsTheyWereWrittenWithHandlesAndCounts() {
        QueueSupport support = QueueSupport.probe(nft);
        List<Expression> queueing = List.of(new Expression.Meta(Expression.Meta.NFPROTO),
                new Expression.Cmp(true, new byte[] {2}), Expression.Payload.network(16, 4),
                new Expression.Lookup("ipv4-vips", 1), Expression.Counter.ZERO, support.queue(0, 4, true, true));
        List<Expression> exemption = List.of(new Expression.Meta(Expression.Meta.IIFNAME),
                Expression.Cmp.interfacePrefix("conduit-a-"), new Expression.Notrack());
        Chain nfqlb = new Chain(TABLE, "nfqlb", Chain.Hook.PREROUTING, 0);
        Chain defrag = new Chain(TABLE, "pre-defrag", Chain.Hook.PREROUTING, -500);
        nft.batch()
                .addTable(new Table(TABLE))
                .addSet(new VipSet(TABLE, "ipv4-vips", Family.IPV4, 1))
                .addChain(nfqlb)
                .addChain(defrag)
                .addRule(new Rule(TABLE, "nfqlb", queueing))
                .addRule(new Rule(TABLE, "pre-defrag", exemption))
                .commit();
        assertThat(nft.chains(TABLE)).containsExactlyInAnyOrder(nfqlb, defrag);
        List<Rule> rules = nft.rules(TABLE, "nfqlb");
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.shape()).isEqualTo(new Rule(TABLE, "nfqlb", queueing).shape());
            assertThat(rule.handle()).isPositive();
            assertThat(rule.counter()).isEqualTo(Expression.Counter.ZERO);
        });
        assertThat(nft.rules(TABLE, "pre-defrag")).singleElement().extracting(Rule::shape).isEqualTo(exemption);
        assertThat(nft.rules(TABLE, "nowhere")).isEmpty();
        assertThat(nft.chains("no-such-table")).isEmpty();
    }

    @Test
    void ensuringWhatIsThereKeepsItAndWhatItHolds() {
        VipSet set = new VipSet(TABLE, "ipv4-vips", Family.IPV4, 1);
        Chain chain = new Chain(TABLE, "nfqlb", Chain.Hook.PREROUTING, 0);
        nft.batch().addTable(new Table(TABLE)).addSet(set).addChain(chain)
                .addElements(new SetElements(TABLE, "ipv4-vips", List.of(cidr("20.0.0.1/32"))))
                .addRule(new Rule(TABLE, "nfqlb", List.of(new Expression.Notrack()))).commit();
        nft.batch().ensureTable(new Table(TABLE)).ensureSet(set).ensureChain(chain).commit();
        assertThat(nft.elements(TABLE, "ipv4-vips", Family.IPV4)).containsExactly(cidr("20.0.0.1/32"));
        assertThat(nft.rules(TABLE, "nfqlb")).hasSize(1);
        assertThatThrownBy(() -> nft.batch().addChain(chain).commit()).isInstanceOfSatisfying(NetlinkException.class,
                e -> assertThat(e.errno()).isEqualTo(NetlinkException.EEXIST));
    }

    @Test
    void theDefragTableExemptsConduitInterfacesAsTheSeedShowsIt() {
        String defrag = "meridio-defrag";
        int raw = -300;
        nft.batch()
                .addTable(new Table(defrag))
                .addChain(new Chain(defrag, "pre-defrag", Chain.Hook.PREROUTING, -500))
                .addChain(new Chain(defrag, "in", Chain.Hook.PREROUTING, raw))
                .addChain(new Chain(defrag, "out", Chain.Hook.OUTPUT, raw))
                .addRule(new Rule(defrag, "pre-defrag", List.of(new Expression.Meta(Expression.Meta.IIFNAME),
                        Expression.Cmp.interfacePrefix("conduit-a-"), new Expression.Notrack())))
                .addRule(new Rule(defrag, "in", List.of(new Expression.Notrack())))
                .addRule(new Rule(defrag, "in", List.of(new Expression.CtState(),
                        new Expression.Bitwise(Expression.hostOrder(0x40)),
                        new Expression.Cmp(false, Expression.hostOrder(0)), new Expression.Accept())))
                .addRule(new Rule(defrag, "out", List.of(new Expression.Notrack())))
                .commit();
        assertThat(namespace.exec("nft", "list", "ruleset")).isEqualTo("""
                table inet meridio-defrag {
                	chain pre-defrag {
                		type filter hook prerouting priority -500; policy accept;
                		iifname "conduit-a-*" notrack
                	}

                	chain in {
                		type filter hook prerouting priority raw; policy accept;
                		notrack
                		ct state untracked accept
                	}

                	chain out {
                		type filter hook output priority raw; policy accept;
                		notrack
                	}
                }
                """);
    }
}
