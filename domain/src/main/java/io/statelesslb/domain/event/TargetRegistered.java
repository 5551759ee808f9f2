package io.statelesslb.domain.event;

import java.util.List;

/** A target joined a stream with an identifier and its IPs (at most one per family). */
public record TargetRegistered(String stream, int identifier, List<String> ips) implements TargetEvent {

    public TargetRegistered {
        ips = Lists.copy(ips);
    }
}
