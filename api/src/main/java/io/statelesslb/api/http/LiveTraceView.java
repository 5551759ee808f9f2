package io.statelesslb.api.http;

/**
 * One real packet the load balancer decided, as {@code GET /v1/trace/follow} streams it: where it came from
 * (queue, ingress), what it is, and the decision step by step (flow, stream, hash, Maglev slot, target, fwmark,
 * verdict and reason).
 *
 * @param time    when it was decided (ISO-8601, UTC)
 * @param queue   the NFQUEUE queue, or null on the simulator
 * @param ingress the interface it arrived on, {@code local} when the load balancer's host sent it, or null
 * @param hash    the hash that picked the Maglev entry, when one was picked
 * @param target  the target's identifier in the stream, when one was picked
 * @param verdict {@code mark}, {@code drop} or {@code held}
 * @param reason  as the {@code slb_packets_total} counter names it ({@code load_balanced}, {@code no_flow}, ...)
 * @param header  the packet's first bytes in hex, from the IP header on
 */
public record LiveTraceView(String time, Integer queue, String ingress, String family, String protocol,
                            String source, Integer sourcePort, String destination, Integer destinationPort,
                            int length, String flow, String stream, Long hash, Integer slot, Integer target,
                            int fwmark, String verdict, String reason, String header) {

    /** @return the trace on one line, for people: time, queue and ingress, the packet, the decision */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(time).append(' ').append(queue == null ? "sim" : "queue " + queue).append(' ')
                .append(ingress == null ? "?" : ingress).append(' ').append(protocol).append(' ')
                .append(endpoint(source, sourcePort)).append(" > ").append(endpoint(destination, destinationPort))
                .append(" len ").append(length).append(": ");
        if (flow != null) {
            out.append("flow ").append(flow).append(" stream ").append(stream);
            if (hash != null) {
                out.append(" hash ").append(hash).append(" slot ").append(slot).append(" target ").append(target);
            }
            out.append(", ");
        }
        out.append(reason.replace('_', ' '));
        out.append(fwmark != 0 ? " fwmark " + fwmark : "").append(" (").append(verdict).append(')');
        return out.toString();
    }

    private static String endpoint(String address, Integer port) {
        if (port == null) {
            return String.valueOf(address);
        }
        return address != null && address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
    }
}
