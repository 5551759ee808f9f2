package io.statelesslb.domain.net;

/** Strict parsing of the small unsigned decimals in addresses, prefix lengths and ports: digits only, no sign. */
final class Decimals {

    private Decimals() {
    }

    /** @return the value of {@code text} if it is 1 to {@code maxDigits} ASCII digits, else -1 */
    static int parse(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
