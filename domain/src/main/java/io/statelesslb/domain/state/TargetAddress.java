package io.statelesslb.domain.state;

import io.statelesslb.domain.net.IpAddress;
import java.util.Comparator;

/** An address as held by a target of a stream: the key of the state's index for address conflicts. */
public record TargetAddress(String stream, IpAddress address) implements Comparable<TargetAddress> {

    private static final Comparator<TargetAddress> ORDER =
            Comparator.comparing(TargetAddress::stream).thenComparing(TargetAddress::address);

    @Override
    public int compareTo(TargetAddress other) {
        return ORDER.compare(this, other);
    }
}
