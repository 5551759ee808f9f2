package io.statelesslb.nfqueue.nftables;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.nfqueue.netlink.AttributeReader;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prefixes in an interval set ({@code NFTA_SET_ELEM_LIST_*}): each is a start element and, unless it runs to the
 * end of the address space, an end element (flagged {@code NFT_SET_ELEM_INTERVAL_END}) at the first address past
 * it: {@code nft add element inet meridio-nfqlb ipv4-vips { 20.0.0.1/32 }}.
 */
public record SetElements(String table, String set, List<Cidr> prefixes) {

    /** {@code NFTA_SET_ELEM_LIST_TABLE}. */
    static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    /** {@code NFTA_SET_ELEM_LIST_SET}. */
    static final int NFTA_SET_ELEM_LIST_SET = 2;
    /** {@code NFTA_SET_ELEM_LIST_ELEMENTS}: nested elements. */
    static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    /** {@code NFTA_SET_ELEM_KEY}: nested data. */
    static final int NFTA_SET_ELEM_KEY = 1;
    /** {@code NFTA_SET_ELEM_FLAGS}. */
    static final int NFTA_SET_ELEM_FLAGS = 3;
    /** {@code NFTA_DATA_VALUE}: the key's bytes. */
    static final int NFTA_DATA_VALUE = 1;
    /** {@code NFT_SET_ELEM_INTERVAL_END}. */
    static final int NFT_SET_ELEM_INTERVAL_END = 1;

    public SetElements {
        prefixes = List.copyOf(prefixes);
    }

    void encode(MessageWriter message) {
        message.attribute(NFTA_SET_ELEM_LIST_TABLE, table);
        message.attribute(NFTA_SET_ELEM_LIST_SET, set);
        message.begin(NFTA_SET_ELEM_LIST_ELEMENTS | Netlink.NLA_F_NESTED);
        int index = 0;
        for (Cidr prefix : prefixes) {
            Cidr network = prefix.network();
            element(message, ++index, bytes(network.address()), false);
            byte[] end = pastEnd(network);
            if (end != null) {
                element(message, ++index, end, true);
            }
        }
        message.end();
    }

    /** @param index numbers the list's elements from 1, as nft does (the kernel reads any type there) */
    private static void element(MessageWriter message, int index, byte[] key, boolean end) {
        message.begin(index | Netlink.NLA_F_NESTED);
        if (end) {
            message.attributeBigEndian(NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
        }
        message.begin(NFTA_SET_ELEM_KEY | Netlink.NLA_F_NESTED).attribute(NFTA_DATA_VALUE, key).end();
        message.end();
    }

    /**
     * @return the prefixes in a {@code NEWSETELEM} message from the kernel's dump: each start element with the end
     *         element that follows it (or the end of the address space); the elements' order is the kernel's
     */
    static List<Cidr> decode(ByteBuffer message, int offset, int end, Family family) {
        List<byte[]> starts = new ArrayList<>();
        List<byte[]> ends = new ArrayList<>();
        AttributeReader list = new AttributeReader(message, offset + Nft.NFGENMSG, end);
        while (list.next()) {
            if (list.type() != NFTA_SET_ELEM_LIST_ELEMENTS) {
                continue;
            }
            AttributeReader elements = list.nested();
            while (elements.next()) {
                AttributeReader element = elements.nested();
                boolean isEnd = false;
                byte[] key = null;
                while (element.next()) {
                    if (element.type() == NFTA_SET_ELEM_FLAGS) {
                        isEnd = (element.u32BigEndian() & NFT_SET_ELEM_INTERVAL_END) != 0;
                    } else if (element.type() == NFTA_SET_ELEM_KEY) {
                        AttributeReader data = element.nested();
                        while (data.next()) {
                            if (data.type() == NFTA_DATA_VALUE) {
                                key = data.bytes();
                            }
                        }
                    }
                }
                if (key != null) {
                    (isEnd ? ends : starts).add(key);
                }
            }
        }
        List<Cidr> prefixes = new ArrayList<>();
        for (byte[] start : starts) {
            IpAddress first = address(family, start);
            // The end that belongs to a start is the smallest end above it.
            IpAddress past = ends.stream().map(bytes -> address(family, bytes)).filter(e -> e.compareTo(first) > 0)
                    .min(IpAddress::compareTo).orElse(null);
            prefixes.add(prefix(first, past));
        }
        prefixes.sort(Cidr::compareTo);
        return prefixes;
    }

    private static Cidr prefix(IpAddress first, IpAddress past) {
        int bits = first.family() == Family.IPV4 ? 32 : 128;
        for (int length = bits; length >= 0; length--) {
            Cidr candidate = new Cidr(first, length);
            if (!candidate.network().address().equals(first)) {
                break;
            }
            byte[] end = pastEnd(candidate);
            if (past == null ? end == null : end != null && address(first.family(), end).equals(past)) {
                return candidate;
            }
        }
        // Not a prefix (nft can hold arbitrary ranges); the start alone is what stateless-lb would have written.
        return Cidr.host(first);
    }

    static byte[] bytes(IpAddress address) {
        return address.bytes();
    }

    private static IpAddress address(Family family, byte[] bytes) {
        return IpAddress.fromBytes(Arrays.copyOf(bytes, family == Family.IPV4 ? 4 : 16));
    }

    /** @return the first address after the prefix, or null when it runs to the end of the address space */
    private static byte[] pastEnd(Cidr network) {
        byte[] address = bytes(network.address());
        int hostBits = address.length * 8 - network.prefixLength();
        // Set the host bits, then add one with carry.
        for (int bit = 0; bit < hostBits; bit++) {
            address[address.length - 1 - bit / 8] |= (byte) (1 << (bit % 8));
        }
        for (int i = address.length - 1; i >= 0; i--) {
            address[i]++;
            if (address[i] != 0) {
                return address;
            }
        }
        return null;
    }
}
