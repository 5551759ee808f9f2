package io.statelesslb.api.http;

/**
 * A packet to trace: either its bytes ({@code packet}, hex, starting at the IP header) or a 5-tuple from which a
 * first packet is built (a TCP SYN, a UDP datagram, an SCTP INIT chunk's common header, an ICMP echo request).
 *
 * @param ingress the interface the packet arrives on ({@code local} when this host sends it); default eth0
 */
public record TraceRequest(String packet, String protocol, String source, Integer sourcePort, String destination,
                           Integer destinationPort, String ingress) {

    /** The interface a traced packet arrives on when the request names none. */
    public static final String DEFAULT_INGRESS = "eth0";

    /** @return the ingress interface, defaulted */
    public String ingressOrDefault() {
        return ingress == null || ingress.isBlank() ? DEFAULT_INGRESS : ingress;
    }
}
