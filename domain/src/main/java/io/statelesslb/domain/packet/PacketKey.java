package io.statelesslb.domain.packet;

import io.statelesslb.domain.net.IpAddress;

/**
 * The 40-byte hash key of a packet, as nfqlb builds it, plus what extraction learned on the way; one instance per
 * packet thread, refilled for every packet (nothing is allocated per packet).
 * <pre>
 *   0                16               32      34      36      38      40
 *   +----------------+----------------+-------+-------+-------+-------+
 *   | source address | destination    | id /  | proto | source| dest. |
 *   | (IPv4 mapped   | address        | user  | (host | port  | port  |
 *   |  ::ffff:a.b.c.d)                | (raw) | order)| (net) | (net) |
 *   +----------------+----------------+-------+-------+-------+-------+
 * </pre>
 * A later fragment holds its fragment id (2 bytes in IPv4, 4 in IPv6, network order) from byte 32 and zeros
 * after it; an echo holds its id at 32; a protocol without ports only its protocol at 34.
 */
public final class PacketKey {

    public static final int LENGTH = 40;
    public static final int ADDRESSES_LENGTH = 32;
    public static final int SOURCE_OFFSET = 0;
    public static final int DESTINATION_OFFSET = 16;
    public static final int ID_OFFSET = 32;
    public static final int PROTOCOL_OFFSET = 34;
    public static final int SOURCE_PORT_OFFSET = 36;
    public static final int DESTINATION_PORT_OFFSET = 38;

    private static final int DJB2_START = 5381;

    final byte[] bytes = new byte[LENGTH];
    int result;
    int fragmentId;
    int protocol;
    int transportOffset;
    int transportLength;
    int ipv6;

    /** @return the return code of the last extraction ({@link KeyResult}) */
    public int result() {
        return result;
    }

    /** @return the fragment id as nfqlb reports it (the raw field read in host order), for a first fragment */
    public int fragmentId() {
        return fragmentId;
    }

    /** @return the L4 protocol the key was built from (the inner one for ICMP errors), or -1 for later fragments */
    public int protocol() {
        return protocol;
    }

    /** @return the key's source port (0 when it has none) */
    public int sourcePort() {
        return u16(SOURCE_PORT_OFFSET);
    }

    /** @return the key's destination port (0 when it has none) */
    public int destinationPort() {
        return u16(DESTINATION_PORT_OFFSET);
    }

    /** @return the high 64 bits of the key's source address (IPv6 form) */
    public long sourceHigh() {
        return u64(SOURCE_OFFSET);
    }

    /** @return the low 64 bits of the key's source address (IPv6 form) */
    public long sourceLow() {
        return u64(SOURCE_OFFSET + 8);
    }

    /** @return the high 64 bits of the key's destination address (IPv6 form) */
    public long destinationHigh() {
        return u64(DESTINATION_OFFSET);
    }

    /** @return the low 64 bits of the key's destination address (IPv6 form) */
    public long destinationLow() {
        return u64(DESTINATION_OFFSET + 8);
    }

    /** @return the offset in the packet of the outer L4 header (for byte matches) */
    public int transportOffset() {
        return transportOffset;
    }

    /** @return the bytes of the packet from {@link #transportOffset()} to its end */
    public int transportLength() {
        return transportLength;
    }

    /** @return whether the packet is IPv6 */
    public boolean ipv6() {
        return ipv6 != 0;
    }

    /** @return the key byte at {@code index} */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** @return djb2 over the 40 key bytes, as an unsigned 32-bit value in an int */
    public int hash() {
        return djb2(LENGTH);
    }

    /** @return djb2 over the 32 address bytes: what a fragment's owner is found by */
    public int addressHash() {
        return djb2(ADDRESSES_LENGTH);
    }

    /** Copies the key bytes into {@code target} (for traces and tests; not the packet path). */
    public void copyTo(byte[] target) {
        System.arraycopy(bytes, 0, target, 0, LENGTH);
    }

    /** @return the key's source address (allocates: for traces, not the packet path) */
    public IpAddress sourceAddress() {
        return IpAddress.ipv6(sourceHigh(), sourceLow());
    }

    /** @return the key's destination address (allocates: for traces, not the packet path) */
    public IpAddress destinationAddress() {
        return IpAddress.ipv6(destinationHigh(), destinationLow());
    }

    private int djb2(int length) {
        int hash = DJB2_START;
        for (int i = 0; i < length; i++) {
            hash = hash * 33 + (bytes[i] & 0xFF);
        }
        return hash;
    }

    private int u16(int index) {
        return ((bytes[index] & 0xFF) << 8) | (bytes[index + 1] & 0xFF);
    }

    private long u64(int index) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[index + i] & 0xFF);
        }
        return value;
    }
}
