package io.statelesslb.nfqueue.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.netlink.RecordingTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nf_tables batches are encoded as nft (1.0.x) encodes them. The expected bytes are what
 * {@code strace -e trace=sendmsg -e write=3 nft ...} printed for the command above each, with two deliberate
 * differences, marked where they occur: every change asks for an acknowledgement ({@code NLM_F_ACK}), and adds are
 * exclusive ({@code NLM_F_EXCL}, as {@code nft create}) — so flags read 0x0605 where nft's add sent 0x0401 (0x0001
 * for a table), and a delete's 0x0005 where nft sent 0x0001.
 */
class NfTablesEncodingTest {

    private static final String BEGIN = "1400000010000100" + "0000000000000000" + "0000000a";
    private static final String END = "1400000011000100" + "0200000000000000" + "0000000a";
    private static final String MERIDIO_NFQLB = "1200" + "0100" + "6d6572696469 6f2d6e66716c6200 0000";

    private final RecordingTransport kernel = new RecordingTransport();
    private final NfTables nft = new NfTables(kernel, 0);

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }

    @Test
    void aTableIsWhatNftAddTableSends() {
        // nft add table inet meridio-nfqlb
        nft.batch().addTable(new Table("meridio-nfqlb")).commit();
        assertThat(kernel.sentHex()).containsExactly(hex(BEGIN
                + "30000000 000a 0506 01000000 00000000 01000000" // flags: 0x0001 from nft
                + MERIDIO_NFQLB + "0800 0200 00000000"
                + END));
    }

    @Test
    void aBaseChainIsWhatNftAddChainSends() {
        // nft add chain inet meridio-nfqlb nfqlb '{ type filter hook prerouting priority filter; policy accept; }'
        nft.batch().addChain(new Chain("meridio-nfqlb", "nfqlb", Chain.Hook.PREROUTING, 0)).commit();
        assertThat(kernel.sentHex()).containsExactly(hex(BEGIN
                + "5c000000 030a 0506 01000000 00000000 01000000" // flags: 0x0401 from nft
                + MERIDIO_NFQLB + "0a00 0300 6e66716c6200 0000" + "0b00 0700 66696c74657200 00"
                + "0800 0500 00000001" + "1400 0480 0800 0100 00000000 0800 0200 00000000"
                + END));
    }

    @Test
    void aVipSetIsWhatNftAddSetSends() {
        // nft add set inet meridio-nfqlb ipv4-vips '{ type ipv4_addr; flags interval; }'
        nft.batch().addSet(new VipSet("meridio-nfqlb", "ipv4-vips", Family.IPV4, 1)).commit();
        assertThat(kernel.sentHex()).containsExactly(hex(BEGIN
                + "64000000 090a 0506 01000000 00000000 01000000" // flags: 0x0401 from nft
                + MERIDIO_NFQLB + "0e00 0200 697076342d7669707300 0000" + "0800 0300 00000004"
                + "0800 0400 00000007" + "0800 0500 00000004" + "0800 0a00 00000001" + "0a00 0d00 000402000000 0000"
                + END));
    }

    @Test
    void removingAVipIsWhatNftDeleteElementSends() {
        // nft delete element inet meridio-nfqlb ipv4-vips '{ 20.0.0.1/32 }'
        nft.batch().deleteElements(new SetElements("meridio-nfqlb", "ipv4-vips",
                List.of(Cidr.parse("20.0.0.1/32").get()))).commit();
        assertThat(kernel.sentHex()).containsExactly(hex(BEGIN
                + "64000000 0e0a 0500 01000000 00000000 01000000" // flags: 0x0001 from nft
                + MERIDIO_NFQLB + "0e00 0200 697076342d7669707300 0000"
                + "2c00 0380" + "1000 0180 0c00 0180 0800 0100 14000001"
                + "1800 0280 0800 0300 00000001 0c00 0180 0800 0100 14000002"
                + END));
    }

    @Test
    void prefixesBecomeStartAndEndElementsAndReadBack() {
        List<Cidr> prefixes = List.of(Cidr.parse("20.0.0.1/32").get(), Cidr.parse("10.0.0.0/8").get(),
                Cidr.parse("255.255.255.0/24").get());
        MessageWriter message = Nft.message(Nft.NFT_MSG_NEWSETELEM, 0, 1);
        new SetElements("t", "s", prefixes).encode(message);
        ByteBuffer bytes = ByteBuffer.wrap(message.bytes()).order(ByteOrder.nativeOrder());
        assertThat(SetElements.decode(bytes, MessageWriter.NLMSG_HDRLEN, bytes.limit(), Family.IPV4))
                .as("the last prefix runs to the end of the space: no end element").containsExactly(
                        Cidr.parse("10.0.0.0/8").get(), Cidr.parse("20.0.0.1/32").get(),
                        Cidr.parse("255.255.255.0/24").get());
        List<Cidr> v6 = List.of(Cidr.parse("2000::1/128").get(), Cidr.parse("fd00::/64").get());
        MessageWriter message6 = Nft.message(Nft.NFT_MSG_NEWSETELEM, 0, 1);
        new SetElements("t", "s", v6).encode(message6);
        ByteBuffer bytes6 = ByteBuffer.wrap(message6.bytes()).order(ByteOrder.nativeOrder());
        assertThat(SetElements.decode(bytes6, MessageWriter.NLMSG_HDRLEN, bytes6.limit(), Family.IPV6))
                .containsExactlyElementsOf(v6);
    }

    @Test
    void aRefusedBatchReportsTheKernelsWords() {
        kernel.refuseNext(NetlinkException.EEXIST);
        assertThatThrownBy(() -> nft.batch().addTable(new Table("meridio-nfqlb")).commit())
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(17);
                    assertThat(e).hasMessage("nftables answers: File exists");
                });
    }

    @Test
    void aVipRuleIsWhatNftAddRuleSends() {
        // nft add rule inet meridio-nfqlb nfqlb ip daddr @ipv4-vips counter
        nft.batch().addRule(new Rule("meridio-nfqlb", "nfqlb", List.of(new Expression.Meta(Expression.Meta.NFPROTO),
                new Expression.Cmp(true, new byte[] {2}), Expression.Payload.network(16, 4),
                new Expression.Lookup("ipv4-vips", 1), Expression.Counter.ZERO))).commit();
        assertThat(kernel.sentHex()).containsExactly(hex(BEGIN
                + "04010000 060a 050c 01000000 00000000 01000000" // flags: 0x0c01 from nft
                + MERIDIO_NFQLB + "0a00 0200 6e66716c6200 0000" + "d000 0480"
                + "2400 0180 0900 0100 6d65746100 000000 1400 0280 0800 0200 0000000f 0800 0100 00000001"
                + "2c00 0180 0800 0100 636d7000 2000 0280 0800 0100 00000001 0800 0200 00000000"
                + " 0c00 0380 0500 0100 02000000"
                + "3400 0180 0c00 0100 7061796c6f616400 2400 0280 0800 0100 00000001 0800 0200 00000001"
                + " 0800 0300 00000010 0800 0400 00000004"
                + "3400 0180 0b00 0100 6c6f6f6b757000 00 2400 0280 0800 0200 00000001"
                + " 0e00 0100 697076342d7669707300 0000 0800 0400 00000001"
                + "1400 0180 0c00 0100 636f756e74657200 0400 0280"
                + END));
    }

    @Test
    void aDefragExemptionIsWhatNftAddRuleIifnameNotrackSends() {
        // nft add rule inet meridio-defrag pre-defrag iifname "conduit-a-*" notrack
        nft.batch().addRule(new Rule("meridio-defrag", "pre-defrag", List.of(
                new Expression.Meta(Expression.Meta.IIFNAME), Expression.Cmp.interfacePrefix("conduit-a-"),
                new Expression.Notrack()))).commit();
        String rule = kernel.sentHex().get(0);
        assertThat(rule).endsWith(hex("6c00 0480"
                + "2400 0180 0900 0100 6d65746100 000000 1400 0280 0800 0200 00000006 0800 0100 00000001"
                + "3400 0180 0800 0100 636d7000 2800 0280 0800 0100 00000001 0800 0200 00000000"
                + " 1400 0380 0e00 0100 636f6e647569742d612d 0000"
                + "1000 0180 0c00 0100 6e6f747261636b00"
                + END));
    }

    @Test
    void acceptingUntrackedPacketsIsWhatNftAddRuleCtStateSends() {
        // nft add rule inet meridio-defrag in ct state untracked accept
        nft.batch().addRule(new Rule("meridio-defrag", "in", List.of(new Expression.CtState(),
                new Expression.Bitwise(Expression.hostOrder(0x40)),
                new Expression.Cmp(false, Expression.hostOrder(0)),
                new Expression.Accept()))).commit();
        assertThat(kernel.sentHex().get(0)).endsWith(hex("c400 0480"
                + "2000 0180 0700 0100 637400 00 1400 0280 0800 0200 00000000 0800 0100 00000001"
                + "4400 0180 0c00 0100 6269747769736500 3400 0280 0800 0100 00000001 0800 0200 00000001"
                + " 0800 0300 00000004 0c00 0480 0800 0100 40000000 0c00 0580 0800 0100 00000000"
                + "2c00 0180 0800 0100 636d7000 2000 0280 0800 0100 00000001 0800 0200 00000001"
                + " 0c00 0380 0800 0100 00000000"
                + "3000 0180 0e00 0100 696d6d65646961746500 0000 1c00 0280 0800 0100 00000000"
                + " 1000 0280 0c00 0280 0800 0100 00000001"
                + END));
    }
}
