package io.statelesslb.nfqueue.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.PortNatSpec;
import io.statelesslb.nfqueue.netlink.RecordingTransport;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.Rule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A port translation's two nf_tables rules: encoded as nft encodes them, and read back into the translation. */
class PortNatRulesTest {

    private static final PortNatSpec TCP_80 = new PortNatSpec("conduit-a-*", Cidr.parse("20.0.0.1/32").get(),
            Protocol.TCP, 80, 8080);
    private static final String END = "1400000011000100" + "0200000000000000" + "0000000a";

    @Test
    void theRuleTowardsTheTargetsIsWhatNftAddRuleSends() {
        // nft add rule inet meridio-nat port-nat-out oifname "conduit-a-*" ip daddr 20.0.0.1 tcp dport 80 counter
        //     tcp dport set 8080    (strace -e trace=sendmsg -e write=3 of nft 1.0.6: the rule's expressions)
        RecordingTransport kernel = new RecordingTransport();
        new NfTables(kernel, 0).batch().addRule(new Rule("meridio-nat", "port-nat-out",
                PortNatRules.towardsTargets(TCP_80))).commit();
        assertThat(kernel.sentHex().get(0)).endsWith(""
                + "4002048024000180090001006d6574610000000014000280080002000000000708000100000000013400018008000100"
                + "636d70002800028008000100000000010800020000000000140003800e000100636f6e647569742d612d000024000180"
                + "090001006d6574610000000014000280080002000000000f08000100000000012c00018008000100636d700020000280"
                + "080001000000000108000200000000000c0003800500010002000000340001800c0001007061796c6f61640024000280"
                + "08000100000000010800020000000001080003000000001008000400000000042c00018008000100636d700020000280"
                + "080001000000000108000200000000000c000380080001001400000124000180090001006d6574610000000014000280"
                + "080002000000001008000100000000012c00018008000100636d70002000028008000100000000010800020000000000"
                + "0c0003800500010006000000340001800c0001007061796c6f6164002400028008000100000000010800020000000002"
                + "080003000000000208000400000000022c00018008000100636d70002000028008000100000000010800020000000000"
                + "0c0003800600010000500000140001800c000100636f756e74657200040002802c0001800e000100696d6d6564696174"
                + "650000001800028008000100000000010c000280060001001f900000440001800c0001007061796c6f61640034000280"
                + "080005000000000108000200000000020800030000000002080004000000000208000600000000010800070000000010"
                + END);
    }

    @Test
    void eachRuleReadsBackIntoItsTranslationWhateverTheFamilyPrefixAndProtocol() {
        List<PortNatSpec> nats = new ArrayList<>(List.of(TCP_80,
                new PortNatSpec("conduit-a-*", Cidr.parse("2000::1/128").get(), Protocol.UDP, 53, 5353),
                new PortNatSpec("conduit-b-*", Cidr.parse("40.0.0.0/20").get(), Protocol.SCTP, 3868, 3869),
                new PortNatSpec("conduit-b-*", Cidr.parse("40.0.0.0/24").get(), Protocol.TCP, 1, 65535),
                new PortNatSpec("eth1", Cidr.parse("3000::/61").get(), Protocol.UDP, 443, 8443)));
        for (PortNatSpec nat : nats) {
            assertThat(PortNatRules.read(PortNatRules.towardsTargets(nat), true)).as("%s", nat).contains(nat);
            assertThat(PortNatRules.read(PortNatRules.fromTargets(nat), false)).as("%s", nat).contains(nat);
        }
    }

    @Test
    void aRuleChangedByHandIsNotOneOfOurs() {
        List<Expression> rule = new ArrayList<>(PortNatRules.towardsTargets(TCP_80));
        assertThat(PortNatRules.read(rule, false)).as("the other way round").isEmpty();
        rule.set(rule.size() - 1, new Expression.PayloadWrite(2, 2, 2, Expression.PayloadWrite.CSUM_SCTP, 8));
        assertThat(PortNatRules.read(rule, true)).as("a checksum that is not TCP's").isEmpty();
        assertThat(PortNatRules.read(rule.subList(0, 10), true)).as("cut short").isEmpty();
    }
}
