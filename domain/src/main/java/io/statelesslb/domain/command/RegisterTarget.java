package io.statelesslb.domain.command;

import java.util.List;

/**
 * Register a target into a stream with an identifier and its IPs (at most one per family). Decided into {@code
 * TargetRegistered}.
 */
public record RegisterTarget(String stream, int identifier, List<String> ips) implements TargetCommand {

    public RegisterTarget {
        ips = Lists.copy(ips);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.registerTarget(this);
    }
}
