package io.statelesslb.dataplane.live;

import java.time.Instant;

/**
 * One real packet the load balancer decided, as a live trace shows it: where it came from, what it is, and every
 * step of the decision.
 *
 * @param time            when it was decided
 * @param queue           the NFQUEUE queue that handed it over, or null in the simulator
 * @param ingress         the interface it arrived on, {@code local} when this host sent it, or null when unknown
 * @param family          {@code ipv4} or {@code ipv6}
 * @param protocol        {@code tcp}, {@code udp}, {@code sctp}, {@code icmp}, {@code icmpv6}, or the number
 * @param sourcePort      null for a protocol without ports (or a later fragment)
 * @param destinationPort null likewise
 * @param length          the packet's length in bytes
 * @param flow            the flow it matched, or null
 * @param stream          the flow's stream, or null
 * @param hash            the hash that picked the Maglev entry, or null when none was needed
 * @param slot            the Maglev slot, or null
 * @param target          the target's identifier in the stream (slot + 1), or null
 * @param fwmark          the fwmark set, 0 for none
 * @param verdict         {@code mark}, {@code drop} or {@code held}
 * @param reason          why, as the counters name it (e.g. {@code load_balanced}, {@code no_flow})
 * @param header          the packet's first bytes in hex, from the IP header on
 */
public record LiveTrace(Instant time, Integer queue, String ingress, String family, String protocol, String source,
                        Integer sourcePort, String destination, Integer destinationPort, int length, String flow,
                        String stream, Long hash, Integer slot, Integer target, int fwmark, String verdict,
                        String reason, String header) {
}
