package io.statelesslb.domain.plan;

/**
 * How the load balancer's nf_tables tables send VIP traffic to it: {@code queue to FIRST-LAST} in the chains
 * {@code nfqlb} (prerouting) and {@code nfqlb-local} (output, ICMP only), and, with {@code bypass}, let packets
 * through unbalanced while no process listens on the queues (fail open) instead of dropping them.
 *
 * @param first the first NFQUEUE queue number
 * @param count how many queues, from {@code first} on; the kernel spreads flows over them
 */
public record Queueing(int first, int count, boolean bypass) {

    /** The seed's: four queues from 0, no bypass (as nfqlb's default). */
    public static final Queueing DEFAULT = new Queueing(0, 4, false);

    public Queueing {
        if (first < 0 || count < 1 || first + count > 65536) {
            throw new IllegalArgumentException("queues " + first + "-" + (first + count - 1)
                    + " (expected: 1 or more queues within 0..65535)");
        }
    }

    /** @return the last queue number */
    public int last() {
        return first + count - 1;
    }

    /** @return the queue statement as {@code nft list} prints it, e.g. {@code queue flags bypass to 0-3} */
    public String statement() {
        return "queue " + (bypass ? "flags bypass " : "") + "to " + (count == 1 ? Integer.toString(first)
                : first + "-" + last());
    }
}
