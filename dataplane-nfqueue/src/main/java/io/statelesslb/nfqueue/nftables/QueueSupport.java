package io.statelesslb.nfqueue.nftables;

import io.statelesslb.nfqueue.netlink.NetlinkException;
import java.util.List;

/**
 * How this kernel queues packets to userspace from nf_tables: the native {@code queue} expression
 * ({@code nft_queue}), or, on kernels built without it, the xtables NFQUEUE target through {@code nft_compat}.
 * Both give the same behaviour; {@code nft list} prints either as {@code queue num 0-3}.
 */
public enum QueueSupport {
    /** {@code nft_queue} is there. */
    NATIVE,
    /** Only the xtables NFQUEUE target (revision 3) is. */
    XTABLES;

    private static final String PROBE_TABLE = "slb-queue-probe";

    /**
     * @param bypass whether packets pass unqueued while no process listens on the queues
     * @param fanout whether a packet goes to the queue of the CPU that received it rather than by address hash
     * @return the expression that queues to {@code total} queues from {@code first}
     */
    public Expression queue(int first, int total, boolean bypass, boolean fanout) {
        // The native expression's flags and the xtables target's have the same values.
        int flags = (bypass ? Expression.Queue.BYPASS : 0) | (fanout ? Expression.Queue.CPU_FANOUT : 0);
        return this == NATIVE ? new Expression.Queue(first, total, flags) : new Expression.XtNfqueue(first, total,
                flags);
    }

    /**
     * Asks the kernel: adds a throwaway table with a regular (hookless) chain holding a native queue rule, and
     * deletes it again. No packet ever passes that chain.
     *
     * @throws NetlinkException when neither way is there (no NFQUEUE support at all)
     */
    public static QueueSupport probe(NfTables nft) {
        for (QueueSupport support : values()) {
            try {
                nft.batch().addTable(new Table(PROBE_TABLE))
                        .addChain(Chain.regular(PROBE_TABLE, "probe"))
                        .addRule(new Rule(PROBE_TABLE, "probe", List.of(support.queue(0, 1, false, false))))
                        .deleteTable(new Table(PROBE_TABLE))
                        .commit();
                return support;
            } catch (NetlinkException e) {
                if (e.errno() != NetlinkException.ENOENT || support == XTABLES) {
                    throw new NetlinkException(e.errno(), "no way to queue packets to userspace here (nft_queue and"
                            + " the xtables NFQUEUE target both refused): " + e.getMessage());
                }
            }
        }
        throw new IllegalStateException("unreachable: the last support either returned or threw");
    }
}
