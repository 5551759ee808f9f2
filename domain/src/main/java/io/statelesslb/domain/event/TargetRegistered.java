package io.statelesslb.domain.event;

import io.statelesslb.domain.net.IpAddress;
import java.util.List;
import java.util.Objects;

/** A target joined a stream with an identifier and its IPs (at most one per family). */
public record TargetRegistered(String stream, int identifier, List<IpAddress> ips) implements TargetEvent {

    public TargetRegistered {
        Objects.requireNonNull(stream, "stream is required");
        ips = Lists.copy(ips);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.targetRegistered(this);
    }
}
