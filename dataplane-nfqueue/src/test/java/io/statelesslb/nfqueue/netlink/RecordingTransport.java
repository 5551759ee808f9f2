package io.statelesslb.nfqueue.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * A transport for unit tests: records what would be sent, and answers each request with an acknowledgement, or
 * with the errno queued by {@link #refuseNext}.
 */
public final class RecordingTransport implements NetlinkTransport {

    private final List<byte[]> sent = new ArrayList<>();
    private final Deque<byte[]> answers = new ArrayDeque<>();
    private int refusal;

    /** Makes the kernel refuse the next request with {@code errno}. */
    public void refuseNext(int errno) {
        refusal = errno;
    }

    /** @return every datagram sent, as hex */
    public List<String> sentHex() {
        return sent.stream().map(bytes -> HexFormat.of().formatHex(bytes)).toList();
    }

    @Override
    public void send(byte[] datagram) {
        sent.add(datagram);
        ByteBuffer messages = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        for (int at = 0; at < datagram.length; at += MessageWriter.align(messages.getInt(at))) {
            boolean ack = (messages.getShort(at + 6) & Netlink.NLM_F_ACK) != 0;
            if (ack) {
                // struct nlmsgerr: the error, then the request's header.
                ByteBuffer answer = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
                answer.putInt(36).putShort((short) Netlink.NLMSG_ERROR).putShort((short) 0)
                        .putInt(messages.getInt(at + 8)).putInt(0);
                answer.putInt(-refusal);
                answer.put(datagram, at, MessageWriter.NLMSG_HDRLEN);
                refusal = 0;
                answers.add(answer.array());
            }
        }
    }

    @Override
    public byte[] receive() {
        return answers.remove();
    }

    @Override
    public void close() {
        // nothing to release
    }
}
