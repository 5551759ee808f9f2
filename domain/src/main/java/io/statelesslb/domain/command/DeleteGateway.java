package io.statelesslb.domain.command;

/** Delete a gateway no attractor uses. Decided into {@code GatewayDeleted}. */
public record DeleteGateway(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteGateway(this);
    }
}
