package io.statelesslb.api.http;

/**
 * A packet to trace: either its bytes ({@code packet}, hex, starting at the IP header) or a 5-tuple from which a
 * first packet is built (a TCP SYN, a UDP datagram, an SCTP INIT chunk's common header, an ICMP echo request).
 *
 * @param ingress the interface the packet arrives on ({@code local} when this host sends it); when none is named,
 *                where a client's packets arrive: the interface of the gateways' routes, or of the kernel's route
 *                back to the source
 */
public record TraceRequest(String packet, String protocol, String source, Integer sourcePort, String destination,
                           Integer destinationPort, String ingress) {
}
