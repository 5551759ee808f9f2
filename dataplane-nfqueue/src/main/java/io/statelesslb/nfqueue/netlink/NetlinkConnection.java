package io.statelesslb.nfqueue.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Requests over one transport, one at a time: each gets the next sequence number; {@link #execute} waits for the
 * kernel's acknowledgement and turns a refusal into a {@link NetlinkException}; {@link #dump} collects the
 * messages of a multipart answer. Not thread-safe: one per thread of work.
 */
public final class NetlinkConnection implements AutoCloseable {

    private final NetlinkTransport transport;
    private final String subsystem;
    private int sequence;

    /**
     * @param subsystem how refusals are prefixed, as the kernel tools do ({@code RTNETLINK answers})
     * @param firstSequence the first request's sequence number
     */
    public NetlinkConnection(NetlinkTransport transport, String subsystem, int firstSequence) {
        this.transport = transport;
        this.subsystem = subsystem;
        this.sequence = firstSequence;
    }

    /** @return the sequence number the next request gets */
    public int nextSequence() {
        return sequence;
    }

    /**
     * Sends a request with {@code NLM_F_ACK} and waits for its acknowledgement.
     *
     * @param request builds the message, given its sequence number
     * @throws NetlinkException with the kernel's errno and words when it refuses
     */
    public void execute(IntFunction<byte[]> request) {
        execute(request, message -> { });
    }

    /**
     * Sends a request with {@code NLM_F_ACK}, hands each answer before the acknowledgement to {@code answers}, and
     * waits for the acknowledgement.
     *
     * @throws NetlinkException with the kernel's errno and words when it refuses
     */
    public void execute(IntFunction<byte[]> request, Consumer<ByteBuffer> answers) {
        int seq = sequence++;
        transport.send(request.apply(seq));
        while (true) {
            for (ByteBuffer message : receiveMessages()) {
                if (sequence(message) != seq) {
                    continue; // a late answer to an earlier request
                }
                if (type(message) != Netlink.NLMSG_ERROR) {
                    answers.accept(message);
                } else if (error(message) == 0) {
                    return;
                } else {
                    throw refusal(-error(message));
                }
            }
        }
    }

    /**
     * Sends a dump request and collects the answer's messages until {@code NLMSG_DONE}.
     *
     * @return each message (from its {@code nlmsghdr}), in the order the kernel sent them
     */
    public List<ByteBuffer> dump(IntFunction<byte[]> request) {
        int seq = sequence++;
        transport.send(request.apply(seq));
        List<ByteBuffer> messages = new ArrayList<>();
        while (true) {
            for (ByteBuffer message : receiveMessages()) {
                if (sequence(message) != seq) {
                    continue;
                }
                if (type(message) == Netlink.NLMSG_DONE) {
                    return messages;
                } else if (type(message) != Netlink.NLMSG_ERROR) {
                    messages.add(message);
                } else if (error(message) != 0) {
                    throw refusal(-error(message));
                }
            }
        }
    }

    /**
     * Sends messages as one nfnetlink batch (a transaction: all of them take effect, or none), each with
     * {@code NLM_F_ACK}, between the batch's begin and end messages, and waits for every acknowledgement.
     *
     * @param begin    builds the batch-begin message, given its sequence number
     * @param messages build the messages, given their sequence numbers
     * @param end      builds the batch-end message
     * @throws NetlinkException with the first refusal's errno and words; the kernel then applied none of them
     */
    public void executeBatch(IntFunction<byte[]> begin, List<IntFunction<byte[]>> messages, IntFunction<byte[]> end) {
        ByteArrayOutputStream datagram = new ByteArrayOutputStream();
        datagram.writeBytes(begin.apply(sequence++));
        int first = sequence;
        for (IntFunction<byte[]> message : messages) {
            datagram.writeBytes(message.apply(sequence++));
        }
        int last = sequence - 1;
        datagram.writeBytes(end.apply(sequence++));
        transport.send(datagram.toByteArray());
        BitSet answered = new BitSet(messages.size());
        NetlinkException refused = null;
        // An aborted batch may not answer the messages after the one refused: stop at the first refusal.
        while (answered.cardinality() < messages.size() && refused == null) {
            for (ByteBuffer message : receiveMessages()) {
                int seq = sequence(message);
                if (type(message) == Netlink.NLMSG_ERROR && seq >= first && seq <= last) {
                    answered.set(seq - first);
                    if (error(message) != 0 && refused == null) {
                        refused = refusal(-error(message));
                    }
                }
            }
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** @return the messages of the next datagram from the kernel, each a view from its {@code nlmsghdr} */
    private List<ByteBuffer> receiveMessages() {
        ByteBuffer datagram = ByteBuffer.wrap(transport.receive()).order(ByteOrder.nativeOrder());
        List<ByteBuffer> messages = new ArrayList<>();
        for (int at = 0; at + MessageWriter.NLMSG_HDRLEN <= datagram.limit(); ) {
            int length = datagram.getInt(at);
            if (length < MessageWriter.NLMSG_HDRLEN || at + length > datagram.limit()) {
                throw new NetlinkException(0, subsystem + ": a malformed answer (length " + length + " at " + at
                        + " of " + datagram.limit() + " bytes)");
            }
            messages.add(datagram.slice(at, length).order(ByteOrder.nativeOrder()));
            at += MessageWriter.align(length);
        }
        return messages;
    }

    private static int type(ByteBuffer message) {
        return Short.toUnsignedInt(message.getShort(4));
    }

    private static int sequence(ByteBuffer message) {
        return message.getInt(8);
    }

    /** @return the (negative) errno of an {@code NLMSG_ERROR}, 0 for an acknowledgement */
    private static int error(ByteBuffer message) {
        return message.getInt(MessageWriter.NLMSG_HDRLEN);
    }

    private NetlinkException refusal(int errno) {
        return new NetlinkException(errno, subsystem + ": " + Errno.describe(errno));
    }

    @Override
    public void close() {
        transport.close();
    }
}
