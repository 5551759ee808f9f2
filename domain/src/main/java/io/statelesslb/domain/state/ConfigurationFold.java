package io.statelesslb.domain.state;

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
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.model.Vip;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.vavr.collection.Seq;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Locale;

/** The fold of definitions and deletions of configuration objects. */
final class ConfigurationFold {

    private ConfigurationFold() {
    }

    static Outcome fold(State state, ConfigurationEvent event) {
        if (event instanceof TrenchDefined e) {
            return trenchDefined(state, e);
        } else if (event instanceof TrenchDeleted e) {
            return trenchDeleted(state, e);
        } else if (event instanceof ConduitDefined e) {
            return conduitDefined(state, e);
        } else if (event instanceof ConduitDeleted e) {
            return conduitDeleted(state, e);
        } else if (event instanceof StreamDefined e) {
            return streamDefined(state, e);
        } else if (event instanceof StreamDeleted e) {
            return streamDeleted(state, e);
        } else if (event instanceof FlowDefined e) {
            return flowDefined(state, e);
        } else if (event instanceof FlowDeleted e) {
            return deleted(state, e, "flow", state.flows(), s -> s.withFlows(s.flows().remove(e.name())));
        } else if (event instanceof VipDefined e) {
            return vipDefined(state, e);
        } else if (event instanceof VipDeleted e) {
            return vipDeleted(state, e);
        } else if (event instanceof AttractorDefined e) {
            return attractorDefined(state, e);
        } else if (event instanceof AttractorDeleted e) {
            return deleted(state, e, "attractor", state.attractors(),
                    s -> s.withAttractors(s.attractors().remove(e.name())));
        } else if (event instanceof GatewayDefined e) {
            return gatewayDefined(state, e);
        }
        return gatewayDeleted(state, (GatewayDeleted) event);
    }

    private static Outcome trenchDefined(State state, TrenchDefined e) {
        Problems problems = new Problems();
        problems.name("name", e.name());
        state.trench().filter(held -> !held.name().equals(e.name())).forEach(held -> problems.add(
                ProblemKind.CONFLICT, "name", "name=" + e.name() + " (expected: " + held.name()
                        + "; this daemon serves trench " + held.name() + ")"));
        return Fold.changed(problems, state, state.withTrench(Option.some(new Trench(e.name()))));
    }

    private static Outcome trenchDeleted(State state, TrenchDeleted e) {
        Problems problems = new Problems();
        if (!state.trench().exists(held -> held.name().equals(e.name()))) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, "name", "trench=" + e.name() + " (expected: "
                    + state.trench().map(Trench::name).getOrElse("no trench, none is defined") + ")");
        }
        stillUsed(problems, "name", "trench=" + e.name(), "conduits", state.conduits().keySet());
        stillUsed(problems, "name", "trench=" + e.name(), "VIPs", state.vips().keySet());
        stillUsed(problems, "name", "trench=" + e.name(), "gateways", state.gateways().keySet());
        return problems.outcome(state.withTrench(Option.none()));
    }

    private static Outcome conduitDefined(State state, ConduitDefined e) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        problems.name("name", e.name());
        String prefix = e.interfacePrefix() == null || e.interfacePrefix().isEmpty()
                ? e.name() + "-" : e.interfacePrefix();
        problems.interfaceName("interfacePrefix", prefix);
        if (problems.any()) {
            return problems.rejected();
        }
        return Fold.changed(problems, state,
                state.withConduits(state.conduits().put(e.name(), new Conduit(e.name(), prefix))));
    }

    private static Outcome conduitDeleted(State state, ConduitDeleted e) {
        Problems problems = new Problems();
        known(problems, "name", "conduit", e.name(), state.conduits());
        stillUsed(problems, "name", "conduit=" + e.name(), "streams",
                state.streams().values().filter(s -> s.conduit().equals(e.name())).map(Stream::name));
        return problems.outcome(state.withConduits(state.conduits().remove(e.name())));
    }

    private static Outcome streamDefined(State state, StreamDefined e) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        problems.name("name", e.name());
        if (e.conduit() == null || e.conduit().isEmpty()) {
            problems.add(ProblemKind.MISSING, "conduit", "conduit is required (expected: a defined conduit)");
        } else {
            known(problems, "conduit", "conduit", e.conduit(), state.conduits());
        }
        problems.range("maxTargets", e.maxTargets(), 1, Stream.MAX_TARGETS, "");
        Option<Stream> held = state.streams().get(e.name());
        int registered = state.targetsOf(e.name()).size();
        if (held.isDefined() && held.get().maxTargets() != e.maxTargets() && registered > 0) {
            problems.add(ProblemKind.IMMUTABLE, "maxTargets", "maxTargets=" + e.maxTargets() + " (expected: "
                    + held.get().maxTargets() + " while stream " + e.name() + " has " + registered
                    + " registered targets; unregister them first)");
        }
        if (problems.any()) {
            return problems.rejected();
        }
        Stream stream = new Stream(e.name(), e.conduit(), e.maxTargets());
        SortedMap<String, Integer> offsets = state.fwmarkOffsets();
        if (held.isEmpty() || held.get().maxTargets() != e.maxTargets()) {
            SortedMap<String, Stream> others = state.streams().remove(e.name());
            offsets = offsets.remove(e.name());
            offsets = offsets.put(e.name(), FwmarkRanges.allocate(offsets, others, e.maxTargets()));
        }
        return Fold.changed(problems, state, state.withStreams(state.streams().put(e.name(), stream), offsets));
    }

    private static Outcome streamDeleted(State state, StreamDeleted e) {
        Problems problems = new Problems();
        known(problems, "name", "stream", e.name(), state.streams());
        stillUsed(problems, "name", "stream=" + e.name(), "flows",
                state.flows().values().filter(f -> f.stream().equals(e.name())).map(Flow::name));
        stillUsed(problems, "name", "stream=" + e.name(), "registered targets",
                state.targetsOf(e.name()).keySet().map(String::valueOf));
        return problems.outcome(state.withStreams(state.streams().remove(e.name()),
                state.fwmarkOffsets().remove(e.name())));
    }

    private static Outcome flowDefined(State state, FlowDefined e) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        problems.name("name", e.name());
        if (e.stream() == null || e.stream().isEmpty()) {
            problems.add(ProblemKind.MISSING, "stream", "stream is required (expected: a defined stream)");
        } else {
            known(problems, "stream", "stream", e.stream(), state.streams());
        }
        SortedSet<Protocol> protocols = problems.parseSet("protocols", e.protocols(), Protocol::parse);
        SortedSet<Cidr> sources = problems.parseSet("sourceSubnets", e.sourceSubnets(), Cidr::parse).map(Cidr::network);
        SortedSet<PortRange> sourcePorts = problems.parseSet("sourcePorts", e.sourcePorts(), PortRange::parse);
        SortedSet<PortRange> destinationPorts =
                problems.parseSet("destinationPorts", e.destinationPorts(), PortRange::parse);
        for (int i = 0; i < e.vips().size(); i++) {
            known(problems, "vips[" + i + "]", "vip", e.vips().get(i), state.vips());
        }
        var byteMatches = problems.parseEach("byteMatches", e.byteMatches(), ByteMatch::parse);
        // nfqlb's limits, so that every flow we accept means the same to an nfqlb instance beside us.
        for (PortRange range : sourcePorts.addAll(destinationPorts)) {
            if (range.first() == 0) {
                problems.add(ProblemKind.OUT_OF_RANGE, sourcePorts.contains(range) ? "sourcePorts" : "destinationPorts",
                        "ports=" + range + " (expected: ports 1..65535; leave the list empty for any port)");
            }
        }
        if (sources.size() > Flow.MAX_PREFIXES || e.vips().size() > Flow.MAX_PREFIXES) {
            problems.add(ProblemKind.OUT_OF_RANGE, sources.size() > Flow.MAX_PREFIXES ? "sourceSubnets" : "vips",
                    "sourceSubnets=" + sources.size() + ", vips=" + e.vips().size() + " (expected: at most "
                            + Flow.MAX_PREFIXES + " each)");
        }
        if (e.protocols().isEmpty() && !(e.sourcePorts().isEmpty() && e.destinationPorts().isEmpty())) {
            problems.add(ProblemKind.INCONSISTENT, "protocols", "protocols=[] with port ranges (expected: tcp, udp"
                    + " or sctp listed when sourcePorts or destinationPorts are given; ports mean nothing to other"
                    + " protocols)");
        }
        if (problems.any()) {
            return problems.rejected();
        }
        Flow flow = new Flow(e.name(), e.stream(), e.priority(), protocols, sources, sourcePorts, destinationPorts,
                io.vavr.collection.TreeSet.ofAll(e.vips()), byteMatches);
        return Fold.changed(problems, state, state.withFlows(state.flows().put(e.name(), flow)));
    }

    private static Outcome vipDefined(State state, VipDefined e) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        problems.name("name", e.name());
        Option<Cidr> address = problems.parse("address", e.address(), Cidr::parse);
        address.filter(cidr -> !cidr.equals(cidr.network())).forEach(cidr -> problems.add(ProblemKind.MALFORMED,
                "address", "address=" + cidr + " (expected: a prefix without host bits, such as " + cidr.network()
                        + ")"));
        address.forEach(cidr -> state.vips().values()
                .filter(other -> !other.name().equals(e.name()) && overlap(other.address(), cidr))
                .forEach(other -> problems.add(ProblemKind.CONFLICT, "address", "address=" + cidr
                        + " (expected: no overlap with vip " + other.name() + " " + other.address()
                        + "; the VIP sets are interval sets)")));
        if (problems.any()) {
            return problems.rejected();
        }
        return Fold.changed(problems, state, state.withVips(state.vips().put(e.name(), new Vip(e.name(), address.get()))));
    }

    private static Outcome vipDeleted(State state, VipDeleted e) {
        Problems problems = new Problems();
        known(problems, "name", "vip", e.name(), state.vips());
        stillUsed(problems, "name", "vip=" + e.name(), "flows",
                state.flows().values().filter(f -> f.vips().contains(e.name())).map(Flow::name));
        stillUsed(problems, "name", "vip=" + e.name(), "attractors",
                state.attractors().values().filter(a -> a.vips().contains(e.name())).map(Attractor::name));
        return problems.outcome(state.withVips(state.vips().remove(e.name())));
    }

    private static Outcome attractorDefined(State state, AttractorDefined e) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        problems.name("name", e.name());
        for (int i = 0; i < e.vips().size(); i++) {
            known(problems, "vips[" + i + "]", "vip", e.vips().get(i), state.vips());
        }
        for (int i = 0; i < e.gateways().size(); i++) {
            known(problems, "gateways[" + i + "]", "gateway", e.gateways().get(i), state.gateways());
        }
        if (problems.any()) {
            return problems.rejected();
        }
        Attractor attractor = new Attractor(e.name(), io.vavr.collection.TreeSet.ofAll(e.vips()),
                io.vavr.collection.TreeSet.ofAll(e.gateways()));
        return Fold.changed(problems, state, state.withAttractors(state.attractors().put(e.name(), attractor)));
    }

    private static Outcome gatewayDefined(State state, GatewayDefined e) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        problems.name("name", e.name());
        Option<IpAddress> address = problems.parse("address", e.address(), IpAddress::parse);
        problems.interfaceName("interfaceName", e.interfaceName());
        Option<GatewayProtocol> protocol = problems.parse("protocol", e.protocol(), ConfigurationFold::gatewayProtocol);
        problems.range("remoteAsn", e.remoteAsn(), 0, Gateway.MAX_ASN, "");
        problems.range("localAsn", e.localAsn(), 0, Gateway.MAX_ASN, "");
        if (protocol.contains(GatewayProtocol.BGP) && (e.remoteAsn() == 0 || e.localAsn() == 0)) {
            problems.add(ProblemKind.INCONSISTENT, "remoteAsn", "remoteAsn=" + e.remoteAsn() + ", localAsn="
                    + e.localAsn() + " (expected: both 1.." + Gateway.MAX_ASN + " for a bgp gateway)");
        }
        if (problems.any()) {
            return problems.rejected();
        }
        Gateway gateway = new Gateway(e.name(), address.get(), e.interfaceName(), protocol.get(), e.bfd(),
                e.remoteAsn(), e.localAsn());
        return Fold.changed(problems, state,
                state.withGateways(state.gateways().put(e.name(), gateway), state.gatewaySessions()));
    }

    private static Outcome gatewayDeleted(State state, GatewayDeleted e) {
        Problems problems = new Problems();
        known(problems, "name", "gateway", e.name(), state.gateways());
        stillUsed(problems, "name", "gateway=" + e.name(), "attractors",
                state.attractors().values().filter(a -> a.gateways().contains(e.name())).map(Attractor::name));
        return problems.outcome(state.withGateways(state.gateways().remove(e.name()),
                state.gatewaySessions().remove(e.name())));
    }

    private static Outcome deleted(State state, ConfigurationEvent e, String kind, SortedMap<String, ?> held,
                                   java.util.function.UnaryOperator<State> remove) {
        Problems problems = new Problems();
        known(problems, "name", kind, e.name(), held);
        return problems.outcome(problems.any() ? state : remove.apply(state));
    }

    static void known(Problems problems, String field, String kind, String name, SortedMap<String, ?> held) {
        if (name == null || !held.containsKey(name)) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, field, kind + "=" + name + " (expected: one of the defined "
                    + kind + "s: " + (held.isEmpty() ? "none is defined" : held.keySet().mkString(", ")) + ")");
        }
    }

    private static void stillUsed(Problems problems, String field, String subject, String users,
                                  Iterable<String> names) {
        Seq<String> list = io.vavr.collection.List.ofAll(names);
        if (!list.isEmpty()) {
            problems.add(ProblemKind.STILL_REFERENCED, field, subject + " is still used by " + users + " "
                    + list.mkString(", ") + " (expected: none; delete or change them first)");
        }
    }

    private static boolean overlap(Cidr a, Cidr b) {
        return a.family() == b.family() && (a.contains(b.address()) || b.contains(a.address()));
    }

    private static Either<String, GatewayProtocol> gatewayProtocol(String text) {
        for (GatewayProtocol protocol : GatewayProtocol.values()) {
            if (protocol.name().toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return Either.right(protocol);
            }
        }
        return Either.left("protocol=" + text + " (expected: bgp or static)");
    }
}
