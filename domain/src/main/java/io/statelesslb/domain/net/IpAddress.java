package io.statelesslb.domain.net;

import io.vavr.control.Either;

/**
 * An immutable IPv4 or IPv6 address held in two longs, so that it compares, hashes and sorts without arrays.
 *
 * <p>An IPv4 address lives in the low 32 bits of {@code low}; {@code high} is then zero. Text forms follow
 * RFC 4291 on input and RFC 5952 (lower case, longest zero run compressed) on output.
 */
public record IpAddress(Family family, long high, long low) implements Comparable<IpAddress> {

    private static final long V4_MAPPED_PREFIX = 0x0000_ffffL;

    public IpAddress {
        if (family == null) {
            throw new IllegalArgumentException("family=null (expected: IPV4 or IPV6)");
        }
        if (family == Family.IPV4 && (high != 0 || (low >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address with more than 32 bits: " + Long.toHexString(low));
        }
    }

    /** @return the IPv4 address whose 32 bits are {@code bits} */
    public static IpAddress ipv4(int bits) {
        return new IpAddress(Family.IPV4, 0, bits & 0xFFFF_FFFFL);
    }

    /** @return the IPv6 address {@code high:low} */
    public static IpAddress ipv6(long high, long low) {
        return new IpAddress(Family.IPV6, high, low);
    }

    /**
     * Parses an address literal; never resolves names.
     *
     * @param text to parse, such as {@code 172.16.0.4} or {@code fd00::4}
     * @return the address, or the reason it is malformed
     */
    public static Either<String, IpAddress> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Either.left("address=\"\" (expected: an IPv4 or IPv6 address)");
        }
        IpAddress parsed = text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
        return parsed == null
                ? Either.left("address=" + text + " (expected: an IPv4 or IPv6 address)")
                : Either.right(parsed);
    }

    /**
     * @param bytes 4 bytes of an IPv4 address or 16 of an IPv6 one, in network order (as the kernel writes them)
     * @return the address
     * @throws IllegalArgumentException for any other length
     */
    public static IpAddress fromBytes(byte[] bytes) {
        return switch (bytes.length) {
            case 4 -> ipv4((int) word(bytes, 0, 4));
            case 16 -> ipv6(word(bytes, 0, 8), word(bytes, 8, 8));
            default -> throw new IllegalArgumentException("an address of " + bytes.length
                    + " bytes (expected: 4 for IPv4, 16 for IPv6)");
        };
    }

    /** @return the address in network order: 4 bytes for IPv4, 16 for IPv6 */
    public byte[] bytes() {
        byte[] bytes = new byte[family == Family.IPV4 ? 4 : 16];
        if (family == Family.IPV4) {
            put(bytes, 0, 4, low);
        } else {
            put(bytes, 0, 8, high);
            put(bytes, 8, 8, low);
        }
        return bytes;
    }

    private static long word(byte[] bytes, int at, int length) {
        long value = 0;
        for (int i = at; i < at + length; i++) {
            value = value << 8 | (bytes[i] & 0xFF);
        }
        return value;
    }

    private static void put(byte[] bytes, int at, int length, long value) {
        for (int i = at + length - 1; i >= at; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
    }

    /** @return the 32 bits of an IPv4 address */
    public int ipv4Bits() {
        return (int) low;
    }

    /** @return this address as IPv6: itself, or {@code ::ffff:a.b.c.d} for IPv4, as nfqlb keys and flows use */
    public IpAddress toIpv6Mapped() {
        return family == Family.IPV6 ? this : ipv6(0, (V4_MAPPED_PREFIX << 32) | low);
    }

    /** @return the address with every bit beyond the first {@code prefixLength} cleared */
    public IpAddress masked(int prefixLength) {
        if (family == Family.IPV4) {
            long mask = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
            return new IpAddress(family, 0, low & mask);
        }
        long highMask = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
        long lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return new IpAddress(family, high & highMask, low & lowMask);
    }

    @Override
    public int compareTo(IpAddress other) {
        int byFamily = family.compareTo(other.family);
        if (byFamily != 0) {
            return byFamily;
        }
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return family == Family.IPV4 ? formatIpv4(low) : formatIpv6(high, low);
    }

    private static String formatIpv4(long bits) {
        return ((bits >>> 24) & 0xFF) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF)
                + "." + (bits & 0xFF);
    }

    private static String formatIpv6(long high, long low) {
        if (high == 0 && (low >>> 32) == V4_MAPPED_PREFIX) {
            return "::ffff:" + formatIpv4(low & 0xFFFF_FFFFL);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) ((high >>> (48 - 16 * i)) & 0xFFFF);
            groups[i + 4] = (int) ((low >>> (48 - 16 * i)) & 0xFFFF);
        }
        // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static IpAddress parseIpv4(String text) {
        long bits = parseDottedQuad(text, 0, text.length());
        return bits < 0 ? null : new IpAddress(Family.IPV4, 0, bits);
    }

    /** @return the 32 bits of a dotted quad in {@code text[from, to)}, or -1 when malformed */
    private static long parseDottedQuad(String text, int from, int to) {
        long bits = 0;
        int parts = 0;
        int i = from;
        while (i <= to && parts < 4) {
            int start = i;
            int value = 0;
            while (i < to && Character.isDigit(text.charAt(i)) && i - start < 3) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            // Leading zeros are refused: some tools read them as octal.
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            bits = (bits << 8) | value;
            parts++;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != '.') {
                return -1;
            }
            i++;
        }
        return parts == 4 && i == to ? bits : -1;
    }

    private static IpAddress parseIpv6(String text) {
        int[] groups = new int[8];
        int count = 0;
        int compressAt = -1;
        int i = 0;
        int length = text.length();
        if (text.startsWith("::")) {
            compressAt = 0;
            i = 2;
        } else if (text.startsWith(":")) {
            return null;
        }
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && Character.digit(text.charAt(i), 16) >= 0 && i - start < 4) {
                value = (value << 4) | Character.digit(text.charAt(i), 16);
                i++;
            }
            if (i < length && text.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits.
                long v4 = parseDottedQuad(text, start, length);
                if (v4 < 0 || count > 6) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = length;
                break;
            }
            if (i == start || count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < length && text.charAt(i) == ':') {
                if (compressAt >= 0) {
                    return null;
                }
                compressAt = count;
                i++;
            } else if (i == length) {
                return null;
            }
        }
        if (compressAt >= 0) {
            if (count == 8) {
                return null;
            }
            int tail = count - compressAt;
            System.arraycopy(groups, compressAt, groups, 8 - tail, tail);
            for (int g = compressAt; g < 8 - tail; g++) {
                groups[g] = 0;
            }
        } else if (count != 8) {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | groups[g];
            low = (low << 16) | groups[g + 4];
        }
        return new IpAddress(Family.IPV6, high, low);
    }
}
