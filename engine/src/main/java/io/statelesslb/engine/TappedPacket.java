package io.statelesslb.engine;


/**
 * One packet a {@link TraceTap} copied, with what the engine decided for it.
 *
 * @param nanos      when it was decided, on the engine's clock
 * @param ingress    the interface index it arrived on, {@link TraceTap#LOCAL} or {@link TraceTap#UNKNOWN}
 * @param header     its first bytes (at most {@link TraceTap#SNAP_LENGTH}), from the IP header on
 * @param length     its whole length
 * @param flow       the flow it matched, or null
 * @param stream     that flow's stream, or null
 * @param hash       the hash that picked the Maglev entry (when load-balanced)
 * @param slot       the Maglev slot, -1 when none
 * @param fwmark     the fwmark set, 0 when none
 * @param keyResult  what key extraction found ({@code KeyResult} bits)
 */
public record TappedPacket(long nanos, int ingress, byte[] header, int length, boolean ipv6, String flow,
                           String stream, int hash, int slot, int fwmark, Verdict verdict, DecisionReason reason,
                           int keyResult) {
}
