package io.statelesslb.domain.command;

/** Report a neighbour entry reachable, with its link-layer address. Decided into {@code NeighbourReachable}. */
public record ReportNeighbourReachable(String address, String interfaceName, String mac) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportNeighbourReachable(this);
    }
}
