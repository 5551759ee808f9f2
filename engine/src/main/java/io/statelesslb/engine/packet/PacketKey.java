package io.statelesslb.engine.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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

    /**
     * djb2 is {@code h = h * 33 + b} from 5381, so over n bytes it equals {@code 5381 * 33^n + sum(b[i] *
     * 33^(n-1-i))} mod 2^32: a dot product with these powers, whose terms the CPU can compute side by side
     * instead of in one long dependency chain.
     */
    private static final int[] KEY_POWERS = powers(LENGTH);
    private static final int[] ADDRESS_POWERS = powers(ADDRESSES_LENGTH);
    private static final int KEY_START = DJB2_START * power(LENGTH);
    private static final int ADDRESS_START = DJB2_START * power(ADDRESSES_LENGTH);
    /** For IPv4-mapped keys 24 of the 40 bytes are fixed (zeros and the 0xffff markers): their share, folded. */
    private static final int MAPPED_KEY_START = KEY_START + 0xFF * (KEY_POWERS[10] + KEY_POWERS[11] + KEY_POWERS[26]
            + KEY_POWERS[27]);
    private static final int MAPPED_ADDRESS_START = ADDRESS_START + 0xFF * (ADDRESS_POWERS[10] + ADDRESS_POWERS[11]
            + ADDRESS_POWERS[26] + ADDRESS_POWERS[27]);

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final byte[] bytes = new byte[LENGTH];
    int result;
    int fragmentId;
    int protocol;
    int transportOffset;
    int transportLength;
    int ipv6;
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    boolean mapped;
    int sourcePort;
    int destinationPort;

    /** @return the return code of the last extraction ({@link KeyResult}) */
    public int result() {
        return result;
    }

    /** @return the fragment id as nfqlb reports it (the raw field read in host order), for a first fragment */
    public int fragmentId() {
        return fragmentId;
    }

    /**
     * @return the fragment id of a fragment, first or later, in one form: the id's network-order bytes read in
     *         little-endian order (as {@link #fragmentId()} reports a first fragment's)
     */
    public int anyFragmentId() {
        if ((result & KeyResult.LATER_FRAGMENT) == 0) {
            return fragmentId;
        }
        return (bytes[ID_OFFSET] & 0xFF) | (bytes[ID_OFFSET + 1] & 0xFF) << 8 | (bytes[ID_OFFSET + 2] & 0xFF) << 16
                | (bytes[ID_OFFSET + 3] & 0xFF) << 24;
    }

    /** @return the L4 protocol the key was built from (the inner one for ICMP errors), or -1 for later fragments */
    public int protocol() {
        return protocol;
    }

    /** @return the key's source port (0 when it has none) */
    public int sourcePort() {
        return sourcePort;
    }

    /** @return the key's destination port (0 when it has none) */
    public int destinationPort() {
        return destinationPort;
    }

    /** @return the high 64 bits of the key's source address (IPv6 form) */
    public long sourceHigh() {
        return sourceHigh;
    }

    /** @return the low 64 bits of the key's source address (IPv6 form) */
    public long sourceLow() {
        return sourceLow;
    }

    /** @return the high 64 bits of the key's destination address (IPv6 form) */
    public long destinationHigh() {
        return destinationHigh;
    }

    /** @return the low 64 bits of the key's destination address (IPv6 form) */
    public long destinationLow() {
        return destinationLow;
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

    /** @return djb2 over the 40 key bytes, as an unsigned 32-bit value in an int */
    public int hash() {
        if (mapped) {
            int hash = MAPPED_KEY_START + mappedAddressTerms(KEY_POWERS);
            for (int i = ID_OFFSET; i < LENGTH; i++) {
                hash += (bytes[i] & 0xFF) * KEY_POWERS[i];
            }
            return hash;
        }
        return dot(KEY_START, KEY_POWERS);
    }

    /** @return djb2 over the 32 address bytes: what a fragment's owner is found by */
    public int addressHash() {
        return mapped ? MAPPED_ADDRESS_START + mappedAddressTerms(ADDRESS_POWERS) : dot(ADDRESS_START, ADDRESS_POWERS);
    }

    private int mappedAddressTerms(int[] powers) {
        return (bytes[12] & 0xFF) * powers[12] + (bytes[13] & 0xFF) * powers[13] + (bytes[14] & 0xFF) * powers[14]
                + (bytes[15] & 0xFF) * powers[15] + (bytes[28] & 0xFF) * powers[28] + (bytes[29] & 0xFF) * powers[29]
                + (bytes[30] & 0xFF) * powers[30] + (bytes[31] & 0xFF) * powers[31];
    }

    /** Copies the key bytes into {@code target} (for traces and tests; not the packet path). */
    public void copyTo(byte[] target) {
        System.arraycopy(bytes, 0, target, 0, LENGTH);
    }

    private int dot(int start, int[] powers) {
        int hash = start;
        for (int i = 0; i < powers.length; i++) {
            hash += (bytes[i] & 0xFF) * powers[i];
        }
        return hash;
    }

    /** Called once the key bytes are final: caches the addresses for the flow lookup. */
    void addressesWritten() {
        sourceHigh = u64(SOURCE_OFFSET);
        sourceLow = u64(SOURCE_OFFSET + 8);
        destinationHigh = u64(DESTINATION_OFFSET);
        destinationLow = u64(DESTINATION_OFFSET + 8);
        mapped = sourceHigh == 0 && destinationHigh == 0 && (sourceLow >>> 32) == 0xFFFF
                && (destinationLow >>> 32) == 0xFFFF;
        sourcePort = u16(SOURCE_PORT_OFFSET);
        destinationPort = u16(DESTINATION_PORT_OFFSET);
    }

    private static int[] powers(int length) {
        int[] powers = new int[length];
        for (int i = 0; i < length; i++) {
            powers[i] = power(length - 1 - i);
        }
        return powers;
    }

    private static int power(int exponent) {
        int value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 33;
        }
        return value;
    }

    private int u16(int index) {
        return ((bytes[index] & 0xFF) << 8) | (bytes[index + 1] & 0xFF);
    }

    private long u64(int index) {
        return (long) BIG_ENDIAN_LONG.get(bytes, index);
    }
}
