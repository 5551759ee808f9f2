package io.statelesslb.nfqueue.queue;

import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.MessageWriter;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.netlink.NetlinkConnection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One NFQUEUE queue over nfnetlink_queue: bound with packets copied whole, read one at a time into a reused buffer,
 * and answered with a verdict that sets the fwmark. Receiving and answering allocate nothing. One thread per queue.
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

    private final JnaNetlinkSocket socket;
    private final int queue;
    private final byte[] receive = new byte[COPY_RANGE + 4096];
    private final ByteBuffer received = ByteBuffer.wrap(receive).order(ByteOrder.nativeOrder());
    /** nfnetlink_queue's own fields (ids, verdicts, marks) are in network byte order. */
    private final ByteBuffer receivedNetworkOrder = ByteBuffer.wrap(receive).order(ByteOrder.BIG_ENDIAN);
    private final byte[] verdict = new byte[VERDICT_LENGTH];
    private final ByteBuffer verdicts = ByteBuffer.wrap(verdict).order(ByteOrder.nativeOrder());
    private final ByteBuffer verdictsNetworkOrder = ByteBuffer.wrap(verdict).order(ByteOrder.BIG_ENDIAN);
    private int sequence;

    private NfQueue(JnaNetlinkSocket socket, int queue) {
        this.socket = socket;
        this.queue = queue;
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
        NetlinkConnection connection = new NetlinkConnection(socket, "nfqueue answers", 1);
        connection.execute(seq -> config(seq, queue)
                .attribute(NFQA_CFG_CMD, new byte[] {NFQNL_CFG_CMD_BIND, 0, 0, 0}) // command, pad, pf (AF_UNSPEC)
                .bytes());
        connection.execute(seq -> config(seq, queue)
                .attribute(NFQA_CFG_PARAMS, ByteBuffer.allocate(5).putInt(COPY_RANGE).put((byte) NFQNL_COPY_PACKET)
                        .array())
                .attributeBigEndian(NFQA_CFG_QUEUE_MAXLEN, maxLength)
                .attributeBigEndian(NFQA_CFG_MASK, NFQA_CFG_F_FAIL_OPEN)
                .attributeBigEndian(NFQA_CFG_FLAGS, failOpen ? NFQA_CFG_F_FAIL_OPEN : 0)
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
        int length = socket.receive(receive);
        if (length < MessageWriter.NLMSG_HDRLEN + NFGENMSG) {
            return false;
        }
        int type = Short.toUnsignedInt(received.getShort(4));
        if (type != (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET)) {
            return false;
        }
        int end = Math.min(length, received.getInt(0));
        packet.buffer = receive;
        packet.length = 0;
        packet.ingress = 0;
        int at = MessageWriter.NLMSG_HDRLEN + NFGENMSG;
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
                packet.offset = at + MessageWriter.NLA_HDRLEN;
                packet.length = attributeLength - MessageWriter.NLA_HDRLEN;
            }
            at += MessageWriter.align(attributeLength);
        }
        return true;
    }

    /** Lets the packet go on with {@code fwmark} set (0 leaves the mark as it is). */
    public void accept(int id, int fwmark) {
        send(NF_ACCEPT, id, fwmark);
    }

    /** Drops the packet. */
    public void drop(int id) {
        send(NF_DROP, id, 0);
    }

    private void send(int verdictCode, int id, int fwmark) {
        int length = fwmark != 0 ? VERDICT_LENGTH : VERDICT_LENGTH - 8;
        verdicts.putInt(0, length);
        verdicts.putShort(4, (short) (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT));
        verdicts.putShort(6, (short) Netlink.NLM_F_REQUEST);
        verdicts.putInt(8, sequence++);
        verdicts.putInt(12, 0);
        verdict[16] = 0; // AF_UNSPEC
        verdict[17] = 0; // NFNETLINK_V0
        verdict[18] = (byte) (queue >>> 8);
        verdict[19] = (byte) queue;
        int at = MessageWriter.NLMSG_HDRLEN + NFGENMSG;
        verdicts.putShort(at, (short) 12);
        verdicts.putShort(at + 2, (short) NFQA_VERDICT_HDR);
        verdictsNetworkOrder.putInt(at + 4, verdictCode);
        verdictsNetworkOrder.putInt(at + 8, id);
        if (fwmark != 0) {
            verdicts.putShort(at + 12, (short) 8);
            verdicts.putShort(at + 14, (short) NFQA_MARK);
            verdictsNetworkOrder.putInt(at + 16, fwmark);
        }
        socket.send(verdict, length);
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
