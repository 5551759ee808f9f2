package io.statelesslb.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.statelesslb.domain.command.Command;
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
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Problem;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.state.State;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A declarative configuration file (YAML), loaded strictly, and turned into the commands that take a state to it:
 * exactly the differences, nothing for what is already so. Every problem, structural or semantic, names the file,
 * line, column and field.
 */
public final class Configuration {

    /** Duplicate keys are an error, not the last one silently winning. */
    private static final YAMLFactory STRICT_YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final String file;
    private final ConfigDocument document;
    /** nfqlb's options given otherwise (the daemon's flags), laid over the file's. */
    private final LoadBalancerOptions overrides;
    /** Where each JSON pointer of the document starts in the file: line, column. */
    private final Map<String, int[]> locations;

    private Configuration(String file, ConfigDocument document, Map<String, int[]> locations,
                          LoadBalancerOptions overrides) {
        this.file = file;
        this.document = document;
        this.locations = locations;
        this.overrides = overrides;
    }

    /**
     * @param options nfqlb's options given otherwise ({@code slb run}'s flags, named {@code source} in errors)
     * @return this configuration with {@code options} laid over its {@code loadBalancer:}
     * @throws IllegalArgumentException when an option is given both here and in the file, differently
     */
    public Configuration with(LoadBalancerOptions options, String source) {
        fileOptions().and(options, file, source);
        return new Configuration(file, document, locations, options);
    }

    private LoadBalancerOptions fileOptions() {
        ConfigDocument.LoadBalancer section = document.loadBalancer();
        return section == null ? LoadBalancerOptions.NONE : new LoadBalancerOptions(section.queues(),
                section.queueLength(), section.queueBypass(), section.failOpen(), section.promiscuousPing(),
                section.noLbFwmark(), section.noTargetsFwmark(), section.sctpUdpEncapsulationPort(),
                section.queueFanout());
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(List.of(new ConfigError(file.toString(), 0, 0, "file", why)));
    }

    /**
     * @throws ConfigException when the file cannot be read or is not a valid configuration
     */
    public static Configuration load(Path file) {
        return parse(file.toString(), read(file));
    }

    /**
     * @return the text of the configuration file {@code file}
     * @throws ConfigException when it cannot be read, saying why in words (no such file, permission denied, ...)
     */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file (expected: the path of a YAML configuration)");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied (expected: a file this user can read)");
        } catch (MalformedInputException e) {
            throw unreadable(file, "not UTF-8 text (expected: a YAML configuration)");
        } catch (IOException e) {
            throw unreadable(file, Files.isDirectory(file) ? "a directory (expected: a YAML file)"
                    : "cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * @param file name used in errors
     * @param yaml the configuration text
     * @throws ConfigException when it is not a valid configuration
     */
    public static Configuration parse(String file, String yaml) {
        refuseAliases(file, yaml);
        Map<String, int[]> locations = new HashMap<>();
        try (JsonParser parser = STRICT_YAML.createParser(yaml)) {
            while (parser.nextToken() != null) {
                var location = parser.currentTokenLocation();
                locations.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(),
                        new int[] {location.getLineNr(), location.getColumnNr()});
            }
        } catch (IOException e) {
            var location = e instanceof JsonProcessingException p ? p.getLocation() : null;
            throw new ConfigException(List.of(new ConfigError(file, location == null ? 0 : location.getLineNr(),
                    location == null ? 0 : location.getColumnNr(), "file", "not valid YAML: " + firstLine(e))));
        }
        ConfigDocument document;
        try {
            document = YAML.readValue(yaml, ConfigDocument.class);
        } catch (JsonMappingException e) {
            // Jackson reports where it stopped (for records: the end of the object); the index knows the field.
            int[] at = locate(locations, pointer(e));
            int line = at[0];
            int column = at[1];
            throw new ConfigException(List.of(new ConfigError(file, line, column, path(e), mappingMessage(e))));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "file", firstLine(e))));
        }
        if (document == null) {
            throw new ConfigException(List.of(new ConfigError(file, 1, 1, "trench", "the file is empty (expected: at"
                    + " least a trench)")));
        }
        return new Configuration(file, document, locations, LoadBalancerOptions.NONE);
    }

    /**
     * Jackson reads an alias as its anchor's name, a value other than the one meant: anchors, aliases and merge keys
     * are refused where they are, before anything is read.
     */
    private static void refuseAliases(String file, String yaml) {
        try {
            for (org.yaml.snakeyaml.events.Event event : new Yaml().parse(new StringReader(yaml))) {
                boolean anchored = event instanceof AliasEvent
                        || event instanceof NodeEvent node && node.getAnchor() != null
                        || event instanceof ScalarEvent scalar && scalar.isPlain() && scalar.getValue().equals("<<");
                if (anchored) {
                    Mark at = event.getStartMark();
                    throw new ConfigException(List.of(new ConfigError(file, at.getLine() + 1, at.getColumn() + 1,
                            "file", "anchors, aliases and merge keys (&name, *name, <<) are not supported"
                                    + " (expected: every value written out)")));
                }
            }
        } catch (YAMLException e) {
            // Not YAML: the reading that follows says where, in Jackson's words.
        }
    }

    /**
     * @param state the state now
     * @return the commands, in an order the decider accepts, that make {@code state} match this configuration;
     *         targets registered by other means are left alone
     * @throws ConfigException naming every definition the decider would reject, located in the file
     */
    public List<Command> changesFrom(State state) {
        return changes(state).commands;
    }

    /**
     * @param state the state now
     * @return the events that {@link #changesFrom} would record, in order: what a dry run shows
     * @throws ConfigException naming every definition the decider would reject, located in the file
     */
    public List<Event> eventsFrom(State state) {
        return changes(state).events;
    }

    private Changes changes(State state) {
        Changes changes = new Changes(state);
        if (document.trench() == null) {
            changes.error("/trench", "trench", "trench is required (expected: the name of the trench this daemon"
                    + " serves)");
        } else {
            changes.consider("/trench", "trench", new DefineTrench(document.trench()));
            fileOptions().and(overrides, file, "the flags").changeFrom(changes.state)
                    .ifPresent(command -> changes.consider("/loadBalancer", "loadBalancer", command));
        }
        // VIPs first: conduits translate their ports.
        define(changes, "vips", document.vips(), ConfigDocument.Vip::name, v -> new DefineVip(v.name(), v.address()));
        define(changes, "conduits", document.conduits(), ConfigDocument.Conduit::name,
                c -> new DefineConduit(c.name(), c.interfacePrefix(), c.destinationPortNats().stream()
                        .map(nat -> nat == null ? new DefineConduit.DestinationPortNat(null, null, null, null)
                                : new DefineConduit.DestinationPortNat(nat.protocol(), nat.port(), nat.targetPort(),
                                        nat.vips()))
                        .toList()));
        define(changes, "streams", document.streams(), ConfigDocument.Stream::name,
                s -> new DefineStream(s.name(), s.conduit(), s.maxTargets() == null ? 0 : s.maxTargets()));
        define(changes, "gateways", document.gateways(), ConfigDocument.Gateway::name,
                g -> new DefineGateway(g.name(), g.address(), g.interfaceName(), g.protocol(), g.bfd(),
                        g.remoteAsn(), g.localAsn(), g.localPort(), g.remotePort(), g.holdTime(), g.bfdMinTx(),
                        g.bfdMinRx(), g.bfdMultiplier(), g.passwordFile()));
        define(changes, "flows", document.flows(), ConfigDocument.Flow::name,
                f -> new DefineFlow(f.name(), f.stream(), f.priority() == null ? 0 : f.priority(),
                        f.protocols(), f.sourceSubnets(),
                        f.sourcePorts(), f.destinationPorts(), f.vips(), f.byteMatches()));
        define(changes, "attractors", document.attractors(), ConfigDocument.Attractor::name,
                a -> new DefineAttractor(a.name(), a.vips(), a.gateways()));
        // What the file no longer names goes, users first.
        Set<String> attractors = names(document.attractors(), ConfigDocument.Attractor::name);
        Set<String> flows = names(document.flows(), ConfigDocument.Flow::name);
        Set<String> gateways = names(document.gateways(), ConfigDocument.Gateway::name);
        Set<String> vips = names(document.vips(), ConfigDocument.Vip::name);
        Set<String> streams = names(document.streams(), ConfigDocument.Stream::name);
        Set<String> conduits = names(document.conduits(), ConfigDocument.Conduit::name);
        state.attractors().keySet().filter(n -> !attractors.contains(n))
                .forEach(n -> changes.consider("", "attractors", new DeleteAttractor(n)));
        state.flows().keySet().filter(n -> !flows.contains(n))
                .forEach(n -> changes.consider("", "flows", new DeleteFlow(n)));
        state.gateways().keySet().filter(n -> !gateways.contains(n))
                .forEach(n -> changes.consider("", "gateways", new DeleteGateway(n)));
        state.vips().keySet().filter(n -> !vips.contains(n))
                .forEach(n -> changes.consider("", "vips", new DeleteVip(n)));
        state.streams().keySet().filter(n -> !streams.contains(n))
                .forEach(n -> changes.consider("", "streams", new DeleteStream(n)));
        state.conduits().keySet().filter(n -> !conduits.contains(n))
                .forEach(n -> changes.consider("", "conduits", new DeleteConduit(n)));
        for (int i = 0; i < document.targets().size(); i++) {
            ConfigDocument.Target t = document.targets().get(i);
            changes.consider("/targets/" + i, "targets[" + i + "]", new RegisterTarget(t.stream(),
                    t.identifier() == null ? 0 : t.identifier(), t.ips()));
        }
        if (!changes.errors.isEmpty()) {
            changes.errors.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new ConfigException(changes.errors);
        }
        return changes;
    }

    private <T> void define(Changes changes, String kind, List<T> entries, Function<T, String> name,
                            Function<T, Command> command) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String pointer = "/" + kind + "/" + i;
            String field = kind + "[" + i + "]";
            T entry = entries.get(i);
            if (entry == null) {
                changes.error(pointer, field, field + " is empty (expected: a definition)");
                continue;
            }
            if (name.apply(entry) != null && !seen.add(name.apply(entry))) {
                changes.error(pointer + "/name", field + ".name", "name=" + name.apply(entry) + " (expected: a name"
                        + " not already used by another of the " + kind + ")");
                continue;
            }
            changes.consider(pointer, field, command.apply(entry));
        }
    }

    private static <T> Set<String> names(List<T> entries, Function<T, String> name) {
        Set<String> names = new HashSet<>();
        entries.forEach(entry -> names.add(entry == null ? null : name.apply(entry)));
        return names;
    }

    /** The commands found so far, their events and the state they lead to; problems located in the file. */
    private final class Changes {
        private State state;
        private final List<Command> commands = new ArrayList<>();
        private final List<Event> events = new ArrayList<>();
        private final List<ConfigError> errors = new ArrayList<>();

        Changes(State state) {
            this.state = state;
        }

        /** Keeps {@code command} when the decider accepts it and its event changes the state. */
        void consider(String pointer, String field, Command command) {
            Decider.decide(state, command).fold(problems -> {
                for (Problem problem : problems) {
                    error(pointer + "/" + problem.field().replace("[", "/").replace("]", "").replace(".", "/"),
                            field + "." + problem.field(), problem.message());
                }
                return null;
            }, event -> {
                State next = state.evolve(event);
                if (next != state) {
                    commands.add(command);
                    events.add(event);
                    state = next;
                }
                return null;
            });
        }

        void error(String pointer, String field, String message) {
            int[] at = locate(pointer);
            errors.add(new ConfigError(file, at[0], at[1], field, message));
        }

        private int[] locate(String pointer) {
            return Configuration.locate(locations, pointer);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() > 0 ? "." : "").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "file" : path.toString();
    }

    /** @return the place of the pointer, or of its closest enclosing node present in the file */
    private static int[] locate(Map<String, int[]> locations, String pointer) {
        for (String p = pointer; ; p = p.substring(0, Math.max(0, p.lastIndexOf('/')))) {
            int[] at = locations.get(p);
            if (at != null) {
                return at;
            }
            if (p.isEmpty()) {
                return new int[] {1, 1};
            }
        }
    }

    private static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            pointer.append('/')
                    .append(reference.getFieldName() != null ? reference.getFieldName() : reference.getIndex());
        }
        return pointer.toString();
    }

    /** @return what is wrong, in the file's terms (Jackson's own words name Java classes) */
    private static String mappingMessage(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknown.getPropertyName() + " is not a setting here (expected one of: "
                    + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            Class<?> type = mismatched.getTargetType();
            String expected = type == String.class ? "a string"
                    : Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class ? "a number"
                    : type == Boolean.class || type == boolean.class ? "true or false"
                    : List.class.isAssignableFrom(type) ? "a list" : "a mapping";
            return "wrong type (expected: " + expected + ")";
        }
        return firstLine(e);
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage()
                : e.getMessage();
        return message == null ? e.toString() : message.lines().findFirst().orElse(message);
    }
}
