package io.statelesslb.server.http;

import io.statelesslb.domain.command.ConfigurationCommand;
import io.statelesslb.domain.command.DefineAttractor;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteAttractor;
import io.statelesslb.domain.command.DeleteConduit;
import io.statelesslb.domain.command.DeleteFlow;
import io.statelesslb.domain.command.DeleteGateway;
import io.statelesslb.domain.command.DeleteStream;
import io.statelesslb.domain.command.DeleteTrench;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.event.ConfigurationEvent;
import io.statelesslb.domain.state.DefiningEvents;
import io.statelesslb.domain.state.State;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The kinds of configuration objects the API serves under {@code /v1/{kind}}: each listed from the state as the
 * events that define its objects (so that what is read can be written back unchanged), defined by the command the
 * body decodes into, and deleted by name.
 */
enum ConfigurationKind {
    TRENCHES("trenches", DefineTrench.class, DefiningEvents::trench, DeleteTrench::new),
    CONDUITS("conduits", DefineConduit.class, DefiningEvents::conduits, DeleteConduit::new),
    STREAMS("streams", DefineStream.class, DefiningEvents::streams, DeleteStream::new),
    FLOWS("flows", DefineFlow.class, DefiningEvents::flows, DeleteFlow::new),
    VIPS("vips", DefineVip.class, DefiningEvents::vips, DeleteVip::new),
    ATTRACTORS("attractors", DefineAttractor.class, DefiningEvents::attractors, DeleteAttractor::new),
    GATEWAYS("gateways", DefineGateway.class, DefiningEvents::gateways, DeleteGateway::new);

    private final String path;
    private final Class<? extends ConfigurationCommand> definition;
    private final Function<State, List<? extends ConfigurationEvent>> list;
    private final Function<String, ConfigurationCommand> delete;

    ConfigurationKind(String path, Class<? extends ConfigurationCommand> definition,
                      Function<State, List<? extends ConfigurationEvent>> list,
                      Function<String, ConfigurationCommand> delete) {
        this.path = path;
        this.definition = definition;
        this.list = list;
        this.delete = delete;
    }

    /** @return the kind named {@code path} in URLs, such as {@code conduits} */
    static Optional<ConfigurationKind> ofPath(String path) {
        return Arrays.stream(values()).filter(kind -> kind.path.equals(path)).findFirst();
    }

    /** @return the kinds' names as URLs use them, for error messages */
    static String paths() {
        return Arrays.stream(values()).map(ConfigurationKind::path).collect(Collectors.joining(", "));
    }

    /** @return the plural name used in URLs */
    String path() {
        return path;
    }

    /** @return the command a definition's body decodes into */
    Class<? extends ConfigurationCommand> definition() {
        return definition;
    }

    /** @return every object of this kind, as its defining event, sorted by name */
    List<? extends ConfigurationEvent> list(State state) {
        return list.apply(state);
    }

    /** @return the command that deletes the object called {@code name} */
    ConfigurationCommand delete(String name) {
        return delete.apply(name);
    }
}
