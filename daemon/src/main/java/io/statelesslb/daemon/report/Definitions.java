package io.statelesslb.daemon.report;

import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.AttractorDeleted;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.ConduitDeleted;
import io.statelesslb.domain.event.ConfigurationEvent;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.FlowDeleted;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.GatewayDeleted;
import io.statelesslb.domain.event.StreamDefined;
import io.statelesslb.domain.event.StreamDeleted;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.TrenchDeleted;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.event.VipDeleted;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.state.State;
import io.vavr.collection.Traversable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kinds of configuration objects, each with how its objects are listed from the state (as the events that
 * define them, so what is read can be written back unchanged) and how one is deleted.
 */
public enum Definitions {
    TRENCHES("trenches", TrenchDefined.class, state -> state.trench()
            .map(t -> (ConfigurationEvent) new TrenchDefined(t.name())).toJavaList(),
            TrenchDeleted::new),
    CONDUITS("conduits", ConduitDefined.class, state -> state.conduits().values()
            .map(c -> (ConfigurationEvent) new ConduitDefined(c.name(), c.interfacePrefix())).toJavaList(),
            ConduitDeleted::new),
    STREAMS("streams", StreamDefined.class, state -> state.streams().values()
            .map(s -> (ConfigurationEvent) new StreamDefined(s.name(), s.conduit(), s.maxTargets())).toJavaList(),
            StreamDeleted::new),
    FLOWS("flows", FlowDefined.class, state -> state.flows().values().map(Definitions::flow).toJavaList(),
            FlowDeleted::new),
    VIPS("vips", VipDefined.class, state -> state.vips().values()
            .map(v -> (ConfigurationEvent) new VipDefined(v.name(), v.address().toString())).toJavaList(),
            VipDeleted::new),
    ATTRACTORS("attractors", AttractorDefined.class, state -> state.attractors().values()
            .map(a -> (ConfigurationEvent) new AttractorDefined(a.name(), a.vips().toJavaList(),
                    a.gateways().toJavaList())).toJavaList(),
            AttractorDeleted::new),
    GATEWAYS("gateways", GatewayDefined.class, state -> state.gateways().values().map(Definitions::gateway)
            .toJavaList(), GatewayDeleted::new);

    private final String path;
    private final Class<? extends ConfigurationEvent> definition;
    private final Function<State, List<ConfigurationEvent>> list;
    private final Function<String, ConfigurationEvent> delete;

    Definitions(String path, Class<? extends ConfigurationEvent> definition,
                Function<State, List<ConfigurationEvent>> list, Function<String, ConfigurationEvent> delete) {
        this.path = path;
        this.definition = definition;
        this.list = list;
        this.delete = delete;
    }

    /** @return the kind named {@code path} in URLs, such as {@code conduits} */
    public static Optional<Definitions> ofPath(String path) {
        for (Definitions kind : values()) {
            if (kind.path.equals(path)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** @return the kinds' names as URLs use them, for error messages */
    public static String paths() {
        return String.join(", ", Arrays.stream(values()).map(Definitions::path).toList());
    }

    /** @return the plural name used in URLs */
    public String path() {
        return path;
    }

    /** @return the event class that defines an object of this kind */
    public Class<? extends ConfigurationEvent> definition() {
        return definition;
    }

    /** @return every object of this kind, as its defining event, sorted by name */
    public List<ConfigurationEvent> list(State state) {
        return list.apply(state);
    }

    /** @return the event that deletes the object called {@code name} */
    public ConfigurationEvent delete(String name) {
        return delete.apply(name);
    }

    private static ConfigurationEvent flow(Flow f) {
        return new FlowDefined(f.name(), f.stream(), f.priority(), f.protocols().map(Protocol::label).toJavaList(),
                strings(f.sourceSubnets()), strings(f.sourcePorts()), strings(f.destinationPorts()),
                f.vips().toJavaList(), strings(f.byteMatches()));
    }

    private static ConfigurationEvent gateway(Gateway g) {
        return new GatewayDefined(g.name(), g.address().toString(), g.interfaceName(),
                g.protocol().name().toLowerCase(Locale.ROOT), g.bfd(), g.remoteAsn(), g.localAsn());
    }

    private static List<String> strings(Traversable<?> values) {
        return values.map(Object::toString).toJavaList();
    }
}
