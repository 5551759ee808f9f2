package io.statelesslb.engine.flow;

/**
 * An address prefix in the form the key holds addresses: 128 bits as two longs, IPv4 mapped into
 * {@code ::ffff:0:0/96} (so {@code 20.0.0.1/32} is {@code ::ffff:20.0.0.1/128}), as nfqlb writes its flows.
 *
 * @param high   the first 64 bits of the address
 * @param low    the last 64 bits
 * @param length how many leading bits count (0..128); bits beyond are ignored
 */
public record Prefix(long high, long low, int length) {

    public Prefix {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("length=" + length + " (expected: 0..128)");
        }
    }

    /** @return the mask of the first 64 bits */
    long highMask() {
        return length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    }

    /** @return the mask of the last 64 bits */
    long lowMask() {
        return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    }
}
