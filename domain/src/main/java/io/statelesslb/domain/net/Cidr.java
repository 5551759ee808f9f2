package io.statelesslb.domain.net;

import io.vavr.control.Either;

/**
 * An address with a prefix length: a subnet such as {@code 20.0.0.1/32}, or an interface address such as
 * {@code 172.16.0.4/24} (host bits are kept, as {@code ip addr} keeps them).
 */
public record Cidr(IpAddress address, int prefixLength) implements Comparable<Cidr> {

    public Cidr {
        if (address == null) {
            throw new IllegalArgumentException("address=null (expected: an IP address)");
        }
        if (prefixLength < 0 || prefixLength > address.family().bits()) {
            throw new IllegalArgumentException("prefixLength=" + prefixLength + " (expected: 0.."
                    + address.family().bits() + " for " + address + ")");
        }
    }

    /** @return the single-address prefix of {@code address} ({@code /32} or {@code /128}) */
    public static Cidr host(IpAddress address) {
        return new Cidr(address, address.family().bits());
    }

    /**
     * Parses {@code ADDRESS/LENGTH}; a bare address means a single host.
     *
     * @param text to parse, such as {@code 2000::1/128}
     * @return the prefix, or the reason it is malformed
     */
    public static Either<String, Cidr> parse(String text) {
        if (text == null) {
            return Either.left("cidr=null (expected: ADDRESS/LENGTH)");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        Either<String, IpAddress> address = IpAddress.parse(addressText);
        if (address.isLeft()) {
            return Either.left("cidr=" + text + " (expected: ADDRESS/LENGTH with an IPv4 or IPv6 address)");
        }
        int bits = address.get().family().bits();
        if (slash < 0) {
            return Either.right(new Cidr(address.get(), bits));
        }
        String lengthText = text.substring(slash + 1);
        int length = Decimals.parse(lengthText, 3);
        if (length < 0 || length > bits) {
            return Either.left("cidr=" + text + " (expected: a prefix length 0.." + bits + ")");
        }
        return Either.right(new Cidr(address.get(), length));
    }

    /** @return the address family */
    public Family family() {
        return address.family();
    }

    /** @return the subnet: this prefix with its host bits cleared */
    public Cidr network() {
        return new Cidr(address.masked(prefixLength), prefixLength);
    }

    /** @return whether {@code other} lies in this subnet (always false across families) */
    public boolean contains(IpAddress other) {
        return other.family() == family() && other.masked(prefixLength).equals(address.masked(prefixLength));
    }

    /** @return the IPv6 form, IPv4 prefixes mapped into {@code ::ffff:0:0/96}, as nfqlb flows are written */
    public Cidr toIpv6Mapped() {
        return family() == Family.IPV6 ? this : new Cidr(address.toIpv6Mapped(), prefixLength + 96);
    }

    @Override
    public int compareTo(Cidr other) {
        int byAddress = address.compareTo(other.address);
        return byAddress != 0 ? byAddress : Integer.compare(prefixLength, other.prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
