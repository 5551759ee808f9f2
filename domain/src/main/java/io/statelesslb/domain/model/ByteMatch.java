package io.statelesslb.domain.model;

import io.vavr.control.Either;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comparison of L4 header bytes, written as in nfqlb and tcpdump: {@code tcp[13:1] & 0x02 = 0x02} reads one
 * byte at offset 13 of the TCP header (network order), masks it with 0x02 and compares it with 0x02. Headers are
 * tcp, udp and sctp, and a match must lie within the fixed header (20, 8 and 12 bytes); widths are 1, 2 or 4
 * bytes; the mask is optional (a mask of 0, like none, compares the whole field); numbers are decimal or hex.
 * A match only constrains packets of its own protocol: a flow's tcp match is ignored for an ICMP packet.
 */
public record ByteMatch(ByteMatchHeader header, int offset, int width, long mask, long value) {

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*([a-z0-9]+)\\s*\\[\\s*(\\w+)\\s*:\\s*(\\w+)\\s*\\]\\s*(?:&\\s*(\\w+)\\s*)?=\\s*(\\w+)\\s*");

    /**
     * @param text to parse, such as {@code tcp[13:1] & 0x02 = 0x02}
     * @return the match, or the reason the text is malformed
     */
    public static Either<String, ByteMatch> parse(String text) {
        String expected = " (expected: HEADER[OFFSET:WIDTH] & MASK = VALUE with HEADER tcp, udp or sctp and WIDTH 1,"
                + " 2 or 4)";
        if (text == null) {
            return Either.left("match=null" + expected);
        }
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Either.left("match=\"" + text + "\"" + expected);
        }
        ByteMatchHeader header = null;
        for (ByteMatchHeader candidate : ByteMatchHeader.values()) {
            if (candidate.label().equals(m.group(1))) {
                header = candidate;
            }
        }
        long offset = parseNumber(m.group(2));
        long width = parseNumber(m.group(3));
        if (header == null || offset < 0 || (width != 1 && width != 2 && width != 4)) {
            return Either.left("match=\"" + text + "\"" + expected);
        }
        if (offset + width > header.length()) {
            return Either.left("match=\"" + text + "\" (expected: OFFSET + WIDTH within the " + header.length()
                    + "-byte " + header.label() + " header)");
        }
        long limit = (1L << (8 * width)) - 1;
        long mask = m.group(4) == null ? limit : parseNumber(m.group(4));
        long value = parseNumber(m.group(5));
        if (mask < 0 || mask > limit || value < 0 || value > limit) {
            return Either.left("match=\"" + text + "\" (expected: MASK and VALUE within 0..0x"
                    + Long.toHexString(limit) + " for a " + width + "-byte field)");
        }
        return Either.right(new ByteMatch(header, (int) offset, (int) width, mask, value));
    }

    @Override
    public String toString() {
        String digits = "%0" + (2 * width) + "x";
        return header.label() + "[" + offset + ":" + width + "] & 0x" + String.format(digits, mask)
                + " = 0x" + String.format(digits, value);
    }

    /** @return the value of a decimal or {@code 0x} hex number, or -1 when it is not one or too large */
    private static long parseNumber(String text) {
        try {
            long value = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            return value <= 0xFFFF_FFFFL ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
