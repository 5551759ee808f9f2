package io.statelesslb.engine.maglev;

/**
 * Maglev table sizes: the table uses the largest prime not above the requested size, as nfqlb does. nfqlb tests
 * primality by trial division with the primes below 1000, which is exact only below 997² = 994009; from there on
 * it answers 993997, the largest prime below that bound, and so do we (golden/primes.jsonl: 1000000 → 993997).
 */
public final class Primes {

    /** 997², the first number nfqlb's trial division cannot classify. */
    static final int NFQLB_LIMIT = 994_009;

    private Primes() {
    }

    /**
     * @param n the requested table size, at least 1
     * @return the largest prime {@code <= n}, or 993997 for any {@code n >= 994009}, or 3 for {@code n < 3} (as
     *         nfqlb: a Maglev table needs M - 1 >= 2 for its skips; golden/maglev.jsonl gives M=2 an effective 3)
     */
    public static int largestAtMost(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n=" + n + " (expected: >= 1)");
        }
        if (n < 3) {
            return 3;
        }
        for (int candidate = Math.min(n, NFQLB_LIMIT - 1); ; candidate--) {
            if (isPrime(candidate)) {
                return candidate;
            }
        }
    }

    static boolean isPrime(int n) {
        if (n < 4) {
            return n >= 2;
        }
        if (n % 2 == 0) {
            return false;
        }
        for (int divisor = 3; (long) divisor * divisor <= n; divisor += 2) {
            if (n % divisor == 0) {
                return false;
            }
        }
        return true;
    }
}
