package io.statelesslb.domain.command;

/** Report a neighbour entry failed: the address does not answer ARP/NDP. Decided into {@code NeighbourFailed}. */
public record ReportNeighbourFailed(String address, String interfaceName) implements ObservationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.reportNeighbourFailed(this);
    }
}
