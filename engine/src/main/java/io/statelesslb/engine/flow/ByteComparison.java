package io.statelesslb.engine.flow;

/**
 * A comparison of L4 header bytes, nfqlb's {@code --match}: {@code tcp[13:1] & 0x02 = 0x02} is protocol 6, offset
 * 13, width 1, mask 0x02, value 0x02. Statements only constrain packets of their own protocol.
 *
 * @param protocol the IP protocol whose header is read (6 tcp, 17 udp, 132 sctp)
 * @param offset   where the bytes start in that header
 * @param width    how many bytes are read, in network order: 1, 2 or 4
 * @param mask     ANDed with the bytes before comparing; 0 means no mask, as in nfqlb
 */
public record ByteComparison(int protocol, int offset, int width, long mask, long value) {

    public ByteComparison {
        if (offset < 0 || (width != 1 && width != 2 && width != 4)) {
            throw new IllegalArgumentException("offset=" + offset + ", width=" + width
                    + " (expected: offset >= 0 and width 1, 2 or 4)");
        }
    }
}
