package io.statelesslb.engine.maglev;

/**
 * The sequence of glibc's {@code rand()} with its default seed: the additive feedback generator of
 * {@code random_r} (TYPE_3: degree 31, separation 3). nfqlb draws its Maglev permutations from it, restarted for
 * each table, so we must draw exactly the same numbers.
 *
 * <p>Seeding fills 31 words with {@code 16807 * previous mod (2^31 - 1)} starting from the seed, then runs the
 * generator 310 times before the first output. Each output is {@code r[i] = r[i-31] + r[i-3]} (32-bit wrapping),
 * shifted right by one.
 */
public final class GlibcRandom {

    private static final int DEGREE = 31;
    private static final int SEPARATION = 3;
    private static final int DISCARDED = 310;
    private static final long MODULUS = 2147483647L;

    private final int[] ring = new int[DEGREE];
    private int front;
    private int rear;

    /** A generator as glibc's {@code rand()} is before any {@code srand()}: seed 1. */
    public GlibcRandom() {
        this(1);
    }

    /** @param seed as given to {@code srand()} (0 means 1, as in glibc) */
    public GlibcRandom(int seed) {
        long word = seed == 0 ? 1 : seed & 0xFFFF_FFFFL;
        ring[0] = (int) word;
        for (int i = 1; i < DEGREE; i++) {
            // glibc computes 16807 * word mod (2^31 - 1) with Schrage's method on a signed 32-bit word.
            int previous = ring[i - 1];
            long hi = previous / 127773;
            long lo = previous % 127773;
            long next = 16807 * lo - 2836 * hi;
            if (next < 0) {
                next += MODULUS;
            }
            ring[i] = (int) next;
        }
        front = SEPARATION;
        rear = 0;
        for (int i = 0; i < DISCARDED; i++) {
            next();
        }
    }

    /** @return the next value of {@code rand()}: 0 .. 2^31-1 */
    public int next() {
        ring[front] += ring[rear];
        int result = ring[front] >>> 1;
        front = front + 1 == DEGREE ? 0 : front + 1;
        rear = rear + 1 == DEGREE ? 0 : rear + 1;
        return result;
    }
}
