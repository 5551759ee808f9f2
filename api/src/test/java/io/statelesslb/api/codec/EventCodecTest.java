package io.statelesslb.api.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.command.LeaveTier;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Decision;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.InstanceJoined;
import io.statelesslb.domain.event.LoadBalancerConfigured;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.model.PortNat;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static Set<Class<?>> concreteEventClasses(Class<?> type) {
        Set<Class<?>> found = new HashSet<>();
        if (type.isRecord()) {
            found.add(type);
        } else {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                found.addAll(concreteEventClasses(sub));
            }
        }
        return found;
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).get();
    }

    /** @return the events {@code commands} are decided into, in order, skipping the rejected ones */
    private static List<Event> decided(List<Command> commands) {
        List<Event> events = new ArrayList<>();
        State state = State.empty();
        for (Command command : commands) {
            if (Decider.decide(state, command) instanceof Decision.Accepted accepted) {
                events.add(accepted.event());
                state = state.evolve(accepted.event());
            }
        }
        return events;
    }

    @Test
    void everyEventTypeHasOneStableCodeAndItsCommand() {
        Set<Class<?>> mapped = new HashSet<>();
        Set<Class<?>> commands = new HashSet<>();
        Arrays.stream(EventType.values()).forEach(type -> mapped.add(type.javaType()));
        Arrays.stream(EventType.values()).forEach(type -> commands.add(type.commandType()));
        assertThat(mapped).isEqualTo(concreteEventClasses(Event.class));
        assertThat(commands).isEqualTo(concreteEventClasses(Command.class));
        assertThat(Arrays.stream(EventType.values()).map(EventType::typeName))
                .allSatisfy(name -> assertThat(EventType.ofName(name).get().javaType().getSimpleName())
                        .isEqualTo(name));
        assertThat(Arrays.stream(EventType.values()).map(EventType::code).distinct())
                .hasSize(EventType.values().length);
        // Codes are on disk: these must never change.
        assertThat(EventType.TRENCH_DEFINED.code()).isEqualTo(1);
        assertThat(EventType.TARGET_REGISTERED.code()).isEqualTo(20);
        assertThat(EventType.GATEWAY_SESSION_DOWN.code()).isEqualTo(45);
    }

    @Test
    void bodyIsCompactJsonWithSortedFields() {
        byte[] body = EventCodec.encodeBody(new TargetRegistered("stream-a-i", 44,
                List.of(ip("172.16.1.6"), ip("fd00:0:0:1::6"))));
        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"identifier\":44,\"ips\":[\"172.16.1.6\",\"fd00:0:0:1::6\"],\"stream\":\"stream-a-i\"}");
    }

    @Property(tries = 50, seed = "20261126")
    void everyEventRoundTripsInBothForms(@ForAll long seed) {
        List<Event> events = decided(new RandomCommands(seed).next(200));
        events.addAll(decided(Scenarios.seed()));
        for (Event event : events) {
            EventType type = EventType.of(event);
            assertThat(EventCodec.decodeBody(type.code(), EventCodec.encodeBody(event))).isEqualTo(event);
            assertThat(EventCodec.decodeTyped(EventCodec.encodeTyped(event))).isEqualTo(event);
        }
    }

    @Test
    void anInstanceJoiningTheTierIsReadAsTheCommandThatAsksForIt() {
        InstanceJoined joined = new InstanceJoined("lb-2", ip("169.254.100.2"), "ext-vlan0");
        String typed = EventCodec.encodeTyped(joined);
        assertThat(typed).isEqualTo("{\"type\":\"InstanceJoined\",\"address\":\"169.254.100.2\","
                + "\"interfaceName\":\"ext-vlan0\",\"name\":\"lb-2\"}");
        assertThat(EventCodec.decodeBody(30, EventCodec.encodeBody(joined))).isEqualTo(joined);
        assertThat(CommandCodec.decodeTyped(typed)).isEqualTo(new JoinTier("lb-2", "169.254.100.2", "ext-vlan0"));
        assertThat(CommandCodec.decodeTyped("{\"type\":\"InstanceLeft\",\"name\":\"lb-2\"}"))
                .isEqualTo(new LeaveTier("lb-2"));
    }

    @Test
    void aConduitsPortTranslationsAreWrittenOnlyWhenItHasSomeAndReadAsTheCommandThatAsksForThem() {
        ConduitDefined translating = new ConduitDefined("conduit-a", "conduit-a-", List.of(
                new PortNat(Protocol.TCP, 80, 8080, List.of("vip-a"))));
        String typed = EventCodec.encodeTyped(translating);
        assertThat(typed).isEqualTo("{\"type\":\"ConduitDefined\",\"destinationPortNats\":[{\"port\":80,"
                + "\"protocol\":\"tcp\",\"targetPort\":8080,\"vips\":[\"vip-a\"]}],\"interfacePrefix\":\"conduit-a-\","
                + "\"name\":\"conduit-a\"}");
        assertThat(EventCodec.decodeTyped(typed)).isEqualTo(translating);
        assertThat(CommandCodec.decodeTyped(typed)).isEqualTo(new DefineConduit("conduit-a", "conduit-a-", List.of(
                new DefineConduit.DestinationPortNat("tcp", 80, 8080, List.of("vip-a")))));
        assertThat(EventCodec.encodeTyped(new ConduitDefined("conduit-a", "conduit-a-")))
                .as("as version 0.1 wrote a conduit").isEqualTo("{\"type\":\"ConduitDefined\","
                        + "\"interfacePrefix\":\"conduit-a-\",\"name\":\"conduit-a\"}");
    }

    @Test
    void loadBalancerSettingsLoggedBeforeQueueFanoutExistedReadAsWithoutIt() {
        String logged = "{\"type\":\"LoadBalancerConfigured\",\"failOpen\":false,\"firstQueue\":0,\"noLbFwmark\":0,"
                + "\"noTargetsFwmark\":0,\"promiscuousPing\":true,\"queueBypass\":true,\"queueLength\":1024,"
                + "\"queues\":4,\"sctpUdpEncapsulationPort\":0}";
        LoadBalancerConfigured earlier = new LoadBalancerConfigured(0, 4, 1024, true, false, true, 0, 0, 0, false);
        assertThat(EventCodec.decodeTyped(logged)).isEqualTo(earlier);
        String body = logged.replace("\"type\":\"LoadBalancerConfigured\",", "");
        assertThat(EventCodec.decodeBody(EventType.LOAD_BALANCER_CONFIGURED.code(), body.getBytes(UTF_8)))
                .as("as a log record's body").isEqualTo(earlier);
        LoadBalancerConfigured fanout = new LoadBalancerConfigured(0, 4, 1024, false, false, false, 0, 0, 0, true);
        assertThat(EventCodec.encodeTyped(fanout)).contains("\"queueFanout\":true");
        assertThat(EventCodec.decodeTyped(EventCodec.encodeTyped(fanout))).isEqualTo(fanout);
    }

    @Test
    void aRecordKeepsWhoAskedForItsEventAndRecordsWithoutOneReadAsBefore() {
        TargetRegistered event = new TargetRegistered("stream-a-i", 44, List.of(ip("172.16.1.6")));
        int type = EventCodec.recordType(event, "API client 127.0.0.1:53422");
        byte[] body = EventCodec.recordBody(event, "API client 127.0.0.1:53422");
        assertThat(type).isEqualTo(EventType.TARGET_REGISTERED.code() | EventCodec.WITH_SOURCE);
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"source\":\"API client 127.0.0.1:53422\","
                + "\"event\":{\"identifier\":44,\"ips\":[\"172.16.1.6\"],\"stream\":\"stream-a-i\"}}");
        assertThat(EventCodec.decodeRecord(type, body))
                .isEqualTo(new EventCodec.Stored(event, "API client 127.0.0.1:53422"));
        // Without a source the record is what every earlier log holds: the type's code and the event alone.
        assertThat(EventCodec.recordType(event, null)).isEqualTo(EventType.TARGET_REGISTERED.code());
        assertThat(EventCodec.recordBody(event, null)).isEqualTo(EventCodec.encodeBody(event));
        assertThat(EventCodec.decodeRecord(EventType.TARGET_REGISTERED.code(), EventCodec.encodeBody(event)))
                .isEqualTo(new EventCodec.Stored(event, null));
        for (String envelope : List.of("{\"source\":\"x\"}", "{\"source\":7,\"event\":{}}",
                "{\"source\":\"x\",\"event\":{\"identifier\":44,\"ips\":[],\"stream\":\"s\"},\"more\":1}",
                "[1]")) {
            assertThatThrownBy(() -> EventCodec.decodeRecord(type, envelope.getBytes(StandardCharsets.UTF_8)))
                    .as(envelope).isInstanceOf(CodecException.class).hasMessageContaining("TargetRegistered");
        }
    }

    @Test
    void typedFormLeadsWithTheTypeName() {
        assertThat(EventCodec.encodeTyped(new TargetRegistered("s", 1, List.of(ip("10.0.0.1")))))
                .isEqualTo("{\"type\":\"TargetRegistered\",\"identifier\":1,\"ips\":[\"10.0.0.1\"],\"stream\":\"s\"}");
    }

    @Test
    void unknownFieldsTypesAndCodesAreRejectedByName() {
        assertThatThrownBy(() -> EventCodec.decodeTyped("{\"type\":\"VipDefined\",\"name\":\"v\","
                + "\"adress\":\"1.2.3.4\"}"))
                .isInstanceOf(CodecException.class).hasMessageContaining("VipDefined does not decode")
                .hasMessageContaining("adress");
        assertThatThrownBy(() -> EventCodec.decodeTyped("{\"type\":\"VipCreated\",\"name\":\"v\"}"))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("type=VipCreated (expected: one of TrenchDefined");
        assertThatThrownBy(() -> EventCodec.decodeTyped("{\"name\":\"v\"}"))
                .isInstanceOf(CodecException.class).hasMessageStartingWith("type is missing");
        assertThatThrownBy(() -> EventCodec.decodeTyped("[1]")).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> EventCodec.decodeTyped("{\"type\":\"VipDeleted\",\"name\":\"v\"} trailing"))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> EventCodec.decodeBody(999, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CodecException.class).hasMessageStartingWith("event type code 999 is unknown");
        assertThatThrownBy(() -> EventCodec.decodeBody(20, "{\"identifier\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CodecException.class).hasMessageStartingWith("body of TargetRegistered does not decode");
        // An event holds parsed values: a logged value that does not parse is not an event.
        assertThatThrownBy(() -> EventCodec.decodeBody(20, "{\"identifier\":1,\"ips\":[\"300.1.1.1\"],\"stream\":\"s\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CodecException.class).hasMessageContaining("address=300.1.1.1 (expected: an IPv4 or IPv6"
                        + " address)");
    }

    @Test
    void theSelfDescribingFormOfAnEventReadsAsTheCommandThatAsksForIt() {
        assertThat(CommandCodec.decodeTyped("{\"type\":\"TargetRegistered\",\"identifier\":1,\"ips\":[\"300.1.1.1\"],"
                + "\"stream\":\"s\"}")).isEqualTo(new RegisterTarget("s", 1, List.of("300.1.1.1")));
        assertThatThrownBy(() -> CommandCodec.decodeTyped("{\"type\":\"TargetRegistered\",\"stream\":\"s\","
                + "\"identifer\":1}"))
                .isInstanceOf(CodecException.class).hasMessageContaining("TargetRegistered does not decode")
                .hasMessageContaining("identifer");
    }
}
