package io.statelesslb.nfqueue.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the attributes of a region of a message, one at a time:
 * {@code while (reader.next()) switch (reader.type()) { ... }}. Unknown types are the caller's to skip; a length
 * that does not fit the region ends the reading (the rest is not trusted).
 */
public final class AttributeReader {

    /** The bit the kernel sets in a nested attribute's type. */
    private static final int NLA_F_NESTED = 1 << 15;
    /** The bit of attributes in network byte order. */
    private static final int NLA_F_NET_BYTEORDER = 1 << 14;

    private final ByteBuffer buffer;
    private final int end;
    private int next;
    private int type;
    private int payload;
    private int length;

    /** Reads the attributes in {@code buffer} from {@code offset} to {@code end}. */
    public AttributeReader(ByteBuffer buffer, int offset, int end) {
        this.buffer = buffer.duplicate().order(ByteOrder.nativeOrder());
        this.next = offset;
        this.end = end;
    }

    /** @return whether there is another attribute; if so it is current */
    public boolean next() {
        if (next + MessageWriter.NLA_HDRLEN > end) {
            return false;
        }
        int nlaLength = Short.toUnsignedInt(buffer.getShort(next));
        if (nlaLength < MessageWriter.NLA_HDRLEN || next + nlaLength > end) {
            return false;
        }
        type = Short.toUnsignedInt(buffer.getShort(next + 2)) & ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
        payload = next + MessageWriter.NLA_HDRLEN;
        length = nlaLength - MessageWriter.NLA_HDRLEN;
        next += MessageWriter.align(nlaLength);
        return true;
    }

    /** @return the current attribute's type (without the nested and byte-order flags) */
    public int type() {
        return type;
    }

    /** @return the current attribute's payload as a u8 */
    public int u8() {
        return length >= 1 ? Byte.toUnsignedInt(buffer.get(payload)) : 0;
    }

    /** @return the current attribute's payload as a u16 in network byte order */
    public int u16BigEndian() {
        return length >= 2 ? Short.toUnsignedInt(buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(payload)) : 0;
    }

    /** @return the current attribute's payload as a u64 in network byte order */
    public long u64BigEndian() {
        return length >= 8 ? buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(payload) : 0;
    }

    /** @return the current attribute's payload as a host-order u32 */
    public int u32() {
        return length >= 4 ? buffer.getInt(payload) : 0;
    }

    /** @return the current attribute's payload as a u32 in network byte order */
    public int u32BigEndian() {
        return length >= 4 ? buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(payload) : 0;
    }

    /** @return the current attribute's payload */
    public byte[] bytes() {
        byte[] bytes = new byte[length];
        buffer.get(payload, bytes);
        return bytes;
    }

    /** @return the current attribute's payload as a NUL-terminated string */
    public String string() {
        byte[] bytes = bytes();
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) {
            nul++;
        }
        return new String(Arrays.copyOf(bytes, nul), StandardCharsets.UTF_8);
    }

    /** @return a reader of the current attribute's nested attributes */
    public AttributeReader nested() {
        return new AttributeReader(buffer, payload, payload + length);
    }

    /** @return the offset of the current attribute's payload, for structs inside it */
    public int payloadOffset() {
        return payload;
    }

    /** @return the current attribute's payload length */
    public int payloadLength() {
        return length;
    }
}
