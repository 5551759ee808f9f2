package io.statelesslb.nfqueue.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Writes one netlink message: the 16-byte {@code nlmsghdr}, the family's fixed header, then attributes
 * ({@code nlattr}: length, type, payload, padded to 4 bytes), nested ones between {@link #begin} and {@link #end}.
 * Lengths are filled in as the message and its nests close. Host byte order, as netlink is.
 */
public final class MessageWriter {

    /** Size of {@code struct nlmsghdr}. */
    public static final int NLMSG_HDRLEN = 16;
    /** Size of {@code struct nlattr}. */
    public static final int NLA_HDRLEN = 4;

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();

    /**
     * Starts a message.
     *
     * @param type  such as {@code RTM_NEWRULE}
     * @param flags such as {@code NLM_F_REQUEST | NLM_F_ACK}
     */
    public MessageWriter(int type, int flags, int sequence) {
        buffer.putInt(0); // nlmsg_len, set by bytes()
        buffer.putShort((short) type);
        buffer.putShort((short) flags);
        buffer.putInt(sequence);
        buffer.putInt(0); // nlmsg_pid: the kernel
    }

    /** Appends raw bytes (a family header such as {@code struct rtmsg}). */
    public MessageWriter put(byte... bytes) {
        ensure(bytes.length);
        buffer.put(bytes);
        return this;
    }

    /** Appends one byte of a family header. */
    public MessageWriter u8(int value) {
        ensure(1);
        buffer.put((byte) value);
        return this;
    }

    /** Appends a host-order 16-bit field of a family header. */
    public MessageWriter u16(int value) {
        ensure(2);
        buffer.putShort((short) value);
        return this;
    }

    /** Appends a host-order 32-bit field of a family header. */
    public MessageWriter u32(int value) {
        ensure(4);
        buffer.putInt(value);
        return this;
    }

    /** An attribute holding a host-order u32. */
    public MessageWriter attribute(int type, int value) {
        return attribute(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** An attribute holding a u32 in network byte order, as nf_tables takes them. */
    public MessageWriter attributeBigEndian(int type, int value) {
        return attribute(type, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** An attribute holding a NUL-terminated string. */
    public MessageWriter attribute(int type, String value) {
        return attribute(type, (value + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** An attribute holding bytes as they are (addresses, strings with their NUL). */
    public MessageWriter attribute(int type, byte[] payload) {
        int length = NLA_HDRLEN + payload.length;
        ensure(align(length));
        buffer.putShort((short) length);
        buffer.putShort((short) type);
        buffer.put(payload);
        pad();
        return this;
    }

    /** Opens a nested attribute; what follows until {@link #end} is inside it. */
    public MessageWriter begin(int type) {
        ensure(NLA_HDRLEN);
        nests.push(buffer.position());
        buffer.putShort((short) 0);
        buffer.putShort((short) type);
        return this;
    }

    /** Closes the innermost nested attribute (or a struct such as {@code rtnexthop} opened as one). */
    public MessageWriter end() {
        int start = nests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /**
     * Opens a struct whose first field is its 16-bit length (such as {@code rtnexthop}); close it with {@link #end}.
     */
    public MessageWriter beginLengthPrefixed() {
        nests.push(buffer.position());
        return this;
    }

    /** @return the finished message, its length set */
    public byte[] bytes() {
        if (!nests.isEmpty()) {
            throw new IllegalStateException(nests.size() + " nested attribute(s) not closed (expected: end() for each"
                    + " begin())");
        }
        buffer.putInt(0, buffer.position());
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** @return {@code length} rounded up to netlink's 4-byte alignment */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    private void pad() {
        while ((buffer.position() & 3) != 0) {
            buffer.put((byte) 0);
        }
    }

    private void ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }
}
