package io.statelesslb.domain.plan;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.Protocol;
import java.util.Comparator;

/**
 * One stateless destination port translation in the kernel's terms: packets to {@code vip} over {@code protocol} to
 * {@code port} that leave by an interface matching {@code interfacePattern} get {@code targetPort}, and those that
 * come in by such an interface from {@code vip} and {@code targetPort} get {@code port} back. Two nf_tables rules of
 * {@code meridio-nat}, with no connection tracking.
 *
 * @param interfacePattern the conduit's interfaces, as nft matches them ({@code conduit-a-*})
 */
public record PortNatSpec(String interfacePattern, Cidr vip, Protocol protocol, int port, int targetPort)
        implements Comparable<PortNatSpec> {

    private static final Comparator<PortNatSpec> ORDER = Comparator.comparing(PortNatSpec::interfacePattern)
            .thenComparing(PortNatSpec::vip).thenComparing(PortNatSpec::protocol)
            .thenComparingInt(PortNatSpec::port).thenComparingInt(PortNatSpec::targetPort);

    @Override
    public int compareTo(PortNatSpec other) {
        return ORDER.compare(this, other);
    }

    /** @return what the translation does, as nft matches and rewrites: {@code oifname "conduit-a-*" ip daddr ...} */
    public String toTargets() {
        return "oifname \"" + interfacePattern + "\" " + address("daddr") + " " + protocol.label() + " dport " + port
                + " counter " + protocol.label() + " dport set " + targetPort;
    }

    /** @return the translation back of the targets' replies, as nft matches and rewrites */
    public String fromTargets() {
        return "iifname \"" + interfacePattern + "\" " + address("saddr") + " " + protocol.label() + " sport "
                + targetPort + " counter " + protocol.label() + " sport set " + port;
    }

    private String address(String direction) {
        // nft prints a host address without its prefix length.
        return (vip.family() == Family.IPV4 ? "ip " : "ip6 ") + direction + " "
                + (vip.prefixLength() == vip.family().bits() ? vip.address().toString() : vip.toString());
    }
}
