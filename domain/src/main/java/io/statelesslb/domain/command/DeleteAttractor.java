package io.statelesslb.domain.command;

/** Delete an attractor. Decided into {@code AttractorDeleted}. */
public record DeleteAttractor(String name) implements ConfigurationCommand {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteAttractor(this);
    }
}
