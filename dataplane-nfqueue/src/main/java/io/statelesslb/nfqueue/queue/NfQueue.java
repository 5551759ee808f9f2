package io.statelesslb.nfqueue.queue;

import com.sun.jna.Platform;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkConnection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One NFQUEUE queue over nfnetlink_queue: bound with packets copied whole (TCP super-packets unsegmented), read a
 * burst per system call into reused off-heap memory, and answered with verdicts that set the fwmark, a batch per
 * datagram. Receiving and answering allocate nothing. One thread per queue.
 */
public final class NfQueue implements AutoCloseable {

    /** {@code NFNL_SUBSYS_QUEUE}. */
    static final int NFNL_SUBSYS_QUEUE = 3;
    static final int NFQNL_MSG_PACKET = 0;
    static final int NFQNL_MSG_VERDICT = 1;
    static final int NFQNL_MSG_CONFIG = 2;
    /** {@code NFQA_CFG_CMD}: struct nfqnl_msg_config_cmd. */
    static final int NFQA_CFG_CMD = 1;
    /** {@code NFQA_CFG_PARAMS}: struct nfqnl_msg_config_params. */
    static final int NFQA_CFG_PARAMS = 2;
    /** {@code NFQA_CFG_QUEUE_MAXLEN}. */
    static final int NFQA_CFG_QUEUE_MAXLEN = 3;
    /** {@code NFQA_CFG_MASK}: which of the flags {@code NFQA_CFG_FLAGS} sets. */
    static final int NFQA_CFG_MASK = 4;
    /** {@code NFQA_CFG_FLAGS}. */
    static final int NFQA_CFG_FLAGS = 5;
    /** {@code NFQA_CFG_F_FAIL_OPEN}: a packet that finds the queue full is accepted instead of dropped. */
    static final int NFQA_CFG_F_FAIL_OPEN = 1;
    /**
     * {@code NFQA_CFG_F_GSO}: TCP super-packets are queued whole, one verdict for what would be dozens of segments
     * (the engine reads only headers; the verdict applies to the whole packet).
     */
    static final int NFQA_CFG_F_GSO = 4;
    static final int NFQNL_CFG_CMD_BIND = 1;
    static final int NFQNL_COPY_PACKET = 2;
    /** {@code NFQA_PACKET_HDR}: struct nfqnl_msg_packet_hdr (id, hw_protocol, hook). */
    static final int NFQA_PACKET_HDR = 1;
    /** {@code NFQA_VERDICT_HDR}: struct nfqnl_msg_verdict_hdr (verdict, id). */
    static final int NFQA_VERDICT_HDR = 2;
    /** {@code NFQA_MARK}. */
    static final int NFQA_MARK = 3;
    /** {@code NFQA_IFINDEX_INDEV}: the index of the interface the packet arrived on (32 bits). */
    static final int NFQA_IFINDEX_INDEV = 5;
    /** {@code NFQA_PAYLOAD}: the packet from its IP header. */
    static final int NFQA_PAYLOAD = 10;
    static final int NF_DROP = 0;
    static final int NF_ACCEPT = 1;
    /** The socket's receive buffer: bursts wait there for the worker (about 4000 full-size frames). */
    static final int RECEIVE_BUFFER = 8 << 20;
    /** The largest packet handed over whole (an IP datagram's maximum). */
    static final int COPY_RANGE = 0xFFFF;
    private static final int NFGENMSG = 4;
    private static final int VERDICT_LENGTH = MessageWriter.NLMSG_HDRLEN + NFGENMSG + 4 + 8 + 4 + 4;

    /** The most verdicts sent in one datagram. */
    public static final int BATCH = 64;

    private final JnaNetlinkSocket socket;
    private final int queue;
    /** The datagrams taken by one receive: a burst costs one system call instead of one per packet. */
    static final int MESSAGES = 32;
    /** Room for one datagram: the largest packet and nfnetlink_queue's attributes around it. */
    private static final int SLOT = COPY_RANGE + 4097;
    /** {@code struct mmsghdr} on a 64-bit machine: a 56-byte {@code struct msghdr}, then {@code msg_len}, padded. */
    private static final int MMSGHDR = 64;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_LEN = 56;
    /** {@code struct iovec}: base and length. */
    private static final int IOVEC = 16;

    /** The kernel writes each datagram in its slot here, off the heap; the packet's own bytes alone are copied out. */
    private final ByteBuffer received = ByteBuffer.allocateDirect(MESSAGES * SLOT).order(ByteOrder.nativeOrder());
    /** nfnetlink_queue's own fields (ids, verdicts, marks) are in network byte order. */
    private final ByteBuffer receivedNetworkOrder = received.duplicate().order(ByteOrder.BIG_ENDIAN);
    /** recvmmsg's {@code struct mmsghdr} array, each pointing through its {@code struct iovec} at its slot. */
    private final ByteBuffer messages = ByteBuffer.allocateDirect(MESSAGES * (MMSGHDR + IOVEC))
            .order(ByteOrder.nativeOrder());
    /** The datagrams of the last receive, and the next one to take. */
    private int receivedCount;
    private int nextMessage;
    /** The packet the engine reads, from its IP header on. */
    private final byte[] payload = new byte[COPY_RANGE];
    private final ByteBuffer verdicts = ByteBuffer.allocateDirect(BATCH * VERDICT_LENGTH)
            .order(ByteOrder.nativeOrder());
    private final ByteBuffer verdictsNetworkOrder = verdicts.duplicate().order(ByteOrder.BIG_ENDIAN);
    private int pending;
    private int batchLength;
    private int sequence;

    private NfQueue(JnaNetlinkSocket socket, int queue) {
        this.socket = socket;
        this.queue = queue;
        long slots = JnaNetlinkSocket.address(received);
        long vectors = JnaNetlinkSocket.address(messages) + MESSAGES * MMSGHDR;
        for (int i = 0; i < MESSAGES; i++) {
            int iovec = MESSAGES * MMSGHDR + i * IOVEC;
            messages.putLong(iovec, slots + (long) i * SLOT);
            messages.putLong(iovec + 8, SLOT);
            messages.putLong(i * MMSGHDR + MSG_IOV, vectors + (long) i * IOVEC);
            messages.putLong(i * MMSGHDR + MSG_IOVLEN, 1);
        }
    }

    /**
     * Binds queue {@code queue} on {@code socket} (a {@link Netlink#NETLINK_NETFILTER} socket of its own), with
     * packets copied whole.
     *
     * @param maxLength the packets the kernel holds for the queue before it drops (or, fail-open, accepts) more
     * @param failOpen  whether a packet that finds the queue full is accepted rather than dropped
     * @throws io.statelesslb.nfqueue.netlink.NetlinkException when the kernel refuses (the queue is bound elsewhere)
     */
    public static NfQueue bind(JnaNetlinkSocket socket, int queue, int maxLength, boolean failOpen) {
        if (!Platform.is64Bit()) {
            throw new IllegalStateException("NFQUEUE needs a 64-bit machine (this one's C structures are 32-bit)");
        }
        NetlinkConnection connection = new NetlinkConnection(socket, "nfqueue answers", 1);
        connection.execute(seq -> config(seq, queue)
                .attribute(NFQA_CFG_CMD, new byte[] {NFQNL_CFG_CMD_BIND, 0, 0, 0}) // command, pad, pf (AF_UNSPEC)
                .bytes());
        connection.execute(seq -> config(seq, queue)
                .attribute(NFQA_CFG_PARAMS, ByteBuffer.allocate(5).putInt(COPY_RANGE).put((byte) NFQNL_COPY_PACKET)
                        .array())
                .attributeBigEndian(NFQA_CFG_QUEUE_MAXLEN, maxLength)
                .attributeBigEndian(NFQA_CFG_MASK, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO)
                .attributeBigEndian(NFQA_CFG_FLAGS, (failOpen ? NFQA_CFG_F_FAIL_OPEN : 0) | NFQA_CFG_F_GSO)
                .bytes());
        socket.receiveBuffer(RECEIVE_BUFFER);
        socket.noBufferErrors();
        NfQueue bound = new NfQueue(socket, queue);
        bound.sequence = connection.nextSequence();
        return bound;
    }

    private static MessageWriter config(int seq, int queue) {
        return new MessageWriter(NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK,
                seq).u8(0).u8(0) // AF_UNSPEC, NFNETLINK_V0
                .u8(queue >>> 8).u8(queue); // res_id: the queue number, big-endian
    }

    /**
     * Waits for the next packet and points {@code packet} at it.
     *
     * @return false when the datagram held no packet (an acknowledgement or an error report), true otherwise
     */
    public boolean next(QueuedPacket packet) {
        if (nextMessage == receivedCount) {
            receivedCount = socket.receive(messages, MESSAGES, true);
            nextMessage = 0;
        }
        return nextMessage < receivedCount && take(packet, nextMessage++);
    }

    /**
     * Points {@code packet} at the next packet if one is already waiting: the packets that queued up while the
     * last ones were decided are taken in one batch (up to {@link #MESSAGES} per system call), and answered with
     * one {@link #flush()}.
     *
     * @return false when no packet was waiting
     */
    public boolean poll(QueuedPacket packet) {
        if (nextMessage == receivedCount) {
            receivedCount = socket.receive(messages, MESSAGES, false);
            nextMessage = 0;
        }
        return nextMessage < receivedCount && take(packet, nextMessage++);
    }

    /**
     * Reads the packet in place in the receive memory, and copies to the heap only its bytes (not the whole buffer,
     * as passing a Java array to the kernel would, twice).
     */
    private boolean take(QueuedPacket packet, int message) {
        int length = messages.getInt(message * MMSGHDR + MSG_LEN);
        int base = message * SLOT;
        if (length < MessageWriter.NLMSG_HDRLEN + NFGENMSG) {
            return false;
        }
        int type = Short.toUnsignedInt(received.getShort(base + 4));
        if (type != (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET)) {
            return false;
        }
        int end = base + Math.min(length, received.getInt(base));
        packet.buffer = payload;
        packet.offset = 0;
        packet.length = 0;
        packet.ingress = 0;
        int at = base + MessageWriter.NLMSG_HDRLEN + NFGENMSG;
        // Attributes read in place: the packet path allocates nothing.
        while (at + MessageWriter.NLA_HDRLEN <= end) {
            int attributeLength = Short.toUnsignedInt(received.getShort(at));
            int attributeType = Short.toUnsignedInt(received.getShort(at + 2)) & 0x3FFF;
            if (attributeLength < MessageWriter.NLA_HDRLEN || at + attributeLength > end) {
                break;
            }
            if (attributeType == NFQA_PACKET_HDR) {
                packet.id = receivedNetworkOrder.getInt(at + MessageWriter.NLA_HDRLEN);
                // struct nfqnl_msg_packet_hdr: packet_id (32), hw_protocol (16), hook (8).
                packet.hook = Byte.toUnsignedInt(received.get(at + MessageWriter.NLA_HDRLEN + 6));
            } else if (attributeType == NFQA_IFINDEX_INDEV) {
                packet.ingress = receivedNetworkOrder.getInt(at + MessageWriter.NLA_HDRLEN);
            } else if (attributeType == NFQA_PAYLOAD) {
                packet.length = attributeLength - MessageWriter.NLA_HDRLEN;
                received.get(at + MessageWriter.NLA_HDRLEN, payload, 0, packet.length);
            }
            at += MessageWriter.align(attributeLength);
        }
        return true;
    }

    /** Lets the packet go on with {@code fwmark} set (0 leaves the mark as it is), with the next {@link #flush()}. */
    public void accept(int id, int fwmark) {
        add(NF_ACCEPT, id, fwmark);
    }

    /** Drops the packet, with the next {@link #flush()}. */
    public void drop(int id) {
        add(NF_DROP, id, 0);
    }

    /** @return the verdicts waiting for {@link #flush()} */
    public int pending() {
        return pending;
    }

    /**
     * Sends the verdicts given since the last flush, in one datagram (one NFQNL_MSG_VERDICT message each): one
     * system call for a batch instead of one per packet.
     */
    public void flush() {
        if (pending > 0) {
            int length = batchLength;
            pending = 0;
            batchLength = 0;
            socket.send(verdicts, length);
        }
    }

    private void add(int verdictCode, int id, int fwmark) {
        if (pending == BATCH) {
            flush();
        }
        int start = batchLength;
        int length = fwmark != 0 ? VERDICT_LENGTH : VERDICT_LENGTH - 8;
        verdicts.putInt(start, length);
        verdicts.putShort(start + 4, (short) (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT));
        verdicts.putShort(start + 6, (short) Netlink.NLM_F_REQUEST);
        verdicts.putInt(start + 8, sequence++);
        verdicts.putInt(start + 12, 0);
        verdicts.put(start + 16, (byte) 0); // AF_UNSPEC
        verdicts.put(start + 17, (byte) 0); // NFNETLINK_V0
        verdicts.put(start + 18, (byte) (queue >>> 8));
        verdicts.put(start + 19, (byte) queue);
        int at = start + MessageWriter.NLMSG_HDRLEN + NFGENMSG;
        verdicts.putShort(at, (short) 12);
        verdicts.putShort(at + 2, (short) NFQA_VERDICT_HDR);
        verdictsNetworkOrder.putInt(at + 4, verdictCode);
        verdictsNetworkOrder.putInt(at + 8, id);
        if (fwmark != 0) {
            verdicts.putShort(at + 12, (short) 8);
            verdicts.putShort(at + 14, (short) NFQA_MARK);
            verdictsNetworkOrder.putInt(at + 16, fwmark);
        }
        // Messages in one datagram follow each other at 4-byte boundaries (their lengths already are).
        batchLength = start + length;
        pending++;
    }

    /** @return the queue number */
    public int queue() {
        return queue;
    }

    @Override
    public void close() {
        socket.close();
    }
}
