package io.statelesslb.domain.plan;

/**
 * How the load balancer's nf_tables tables send VIP traffic to it: {@code queue to FIRST-LAST} in the chains
 * {@code nfqlb} (prerouting) and {@code nfqlb-local} (output, ICMP only), and, with {@code bypass}, let packets
 * through unbalanced while no process listens on the queues (fail open) instead of dropping them.
 *
 * @param first  the first NFQUEUE queue number
 * @param count  how many queues, from {@code first} on; the kernel spreads packets over them by a hash of their
 *               addresses, or, with {@code fanout}, by the CPU that received them
 * @param bypass whether packets pass unbalanced while no process listens on the queues
 * @param fanout whether the queue is the receiving CPU's (so that a NIC's receive-side scaling spreads the work)
 */
public record Queueing(int first, int count, boolean bypass, boolean fanout) {

    /** The seed's: four queues from 0, no bypass, spread by address (as nfqlb's default). */
    public static final Queueing DEFAULT = new Queueing(0, 4, false, false);

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

    /** @return the queue statement as {@code nft list} prints it, e.g. {@code queue flags bypass,fanout to 0-3} */
    public String statement() {
        String flags = bypass && fanout ? "bypass,fanout" : bypass ? "bypass" : fanout ? "fanout" : "";
        return "queue " + (flags.isEmpty() ? "" : "flags " + flags + " ") + "to " + (count == 1
                ? Integer.toString(first) : first + "-" + last());
    }
}
