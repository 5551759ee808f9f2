package io.statelesslb.api.codec;

import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.ByteMatch;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.GatewayProtocol;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.model.Vip;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.net.PortRange;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.state.State;
import io.vavr.collection.List;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Function;

/** Encodes a {@link State} with the sequence it reflects as a JSON snapshot, and decodes it back exactly. */
public final class SnapshotCodec {

    /** Format version written into every snapshot; a reader refuses others. */
    public static final int VERSION = 1;

    /** A decoded snapshot: the state after folding events 1..{@code sequence}. */
    public record Snapshot(long sequence, State state) {
    }

    private SnapshotCodec() {
    }

    /** @return the JSON of {@code state} as of {@code sequence} */
    public static byte[] encode(long sequence, State state) {
        SnapshotDocument document = new SnapshotDocument(
                VERSION,
                sequence,
                state.trench().map(Trench::name).getOrNull(),
                state.conduits().values().map(c -> new ConduitDefined(c.name(), c.interfacePrefix())).toJavaList(),
                state.streams().values().map(s -> new SnapshotDocument.StreamEntry(s.name(), s.conduit(),
                        s.maxTargets(), state.fwmarkOffsets().get(s.name()).get())).toJavaList(),
                state.flows().values().map(SnapshotCodec::flowEvent).toJavaList(),
                state.vips().values().map(v -> new VipDefined(v.name(), v.address().toString())).toJavaList(),
                state.attractors().values().map(a -> new AttractorDefined(a.name(), a.vips().toJavaList(),
                        a.gateways().toJavaList())).toJavaList(),
                state.gateways().values().map(g -> new GatewayDefined(g.name(), g.address().toString(),
                        g.interfaceName(), g.protocol().name().toLowerCase(Locale.ROOT), g.bfd(), g.remoteAsn(),
                        g.localAsn())).toJavaList(),
                state.targets().values().flatMap(SortedMap::values).map(t -> new SnapshotDocument.TargetEntry(
                        t.stream(), t.identifier(), t.ips().map(IpAddress::toString).toJavaList(), t.enabled(),
                        t.rulePriority())).toJavaList(),
                state.interfaces().values().map(i -> new SnapshotDocument.InterfaceEntry(i.name(), i.up(),
                        i.addresses().map(Cidr::toString).toJavaList(), i.mtu())).toJavaList(),
                state.neighbours().values().map(n -> new SnapshotDocument.NeighbourEntry(n.address().toString(),
                        n.interfaceName(), n.state().name(), n.mac())).toJavaList(),
                state.gatewaySessions().toJavaMap(java.util.TreeMap::new, t -> t));
        try {
            return Json.mapper().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new CodecException("cannot encode snapshot at sequence " + sequence + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param json a snapshot written by {@link #encode}
     * @return the sequence and state it holds
     * @throws CodecException when the document is not a valid snapshot of this version
     */
    public static Snapshot decode(byte[] json) {
        SnapshotDocument d;
        try {
            d = Json.mapper().readValue(json, SnapshotDocument.class);
        } catch (IOException e) {
            throw new CodecException("snapshot does not decode: " + e.getMessage(), e);
        }
        if (d.version() != VERSION) {
            throw new CodecException("snapshot version=" + d.version() + " (expected: " + VERSION + ")");
        }
        try {
            return new Snapshot(d.sequence(), state(d));
        } catch (RuntimeException e) {
            throw new CodecException("snapshot at sequence " + d.sequence() + " holds an invalid value: " + e.getMessage(), e);
        }
    }

    private static State state(SnapshotDocument d) {
        SortedMap<String, SortedMap<Integer, Target>> targets = TreeMap.empty();
        for (SnapshotDocument.TargetEntry t : d.targets()) {
            Target target = new Target(t.stream(), t.identifier(), set(t.ips(), IpAddress::parse), t.enabled(),
                    t.rulePriority());
            targets = targets.put(t.stream(), targets.get(t.stream()).getOrElse(TreeMap.empty())
                    .put(t.identifier(), target));
        }
        return State.of(
                Option.of(d.trench()).map(Trench::new),
                TreeMap.ofAll(d.conduits().stream(), c -> c.name(), c -> new Conduit(c.name(), c.interfacePrefix())),
                TreeMap.ofAll(d.streams().stream(), s -> s.name(), s -> new Stream(s.name(), s.conduit(), s.maxTargets())),
                TreeMap.ofAll(d.streams().stream(), s -> s.name(), s -> s.fwmarkOffset()),
                TreeMap.ofAll(d.flows().stream(), f -> f.name(), SnapshotCodec::flow),
                TreeMap.ofAll(d.vips().stream(), v -> v.name(), v -> new Vip(v.name(), parse(v.address(), Cidr::parse))),
                TreeMap.ofAll(d.attractors().stream(), a -> a.name(),
                        a -> new Attractor(a.name(), TreeSet.ofAll(a.vips()), TreeSet.ofAll(a.gateways()))),
                TreeMap.ofAll(d.gateways().stream(), g -> g.name(), g -> new Gateway(g.name(),
                        parse(g.address(), IpAddress::parse), g.interfaceName(),
                        GatewayProtocol.valueOf(g.protocol().toUpperCase(Locale.ROOT)), g.bfd(), g.remoteAsn(),
                        g.localAsn())),
                targets,
                TreeMap.ofAll(d.interfaces().stream(), i -> i.name(), i -> new NetworkInterface(i.name(), i.up(),
                        set(i.addresses(), Cidr::parse), i.mtu())),
                TreeMap.ofAll(d.neighbours().stream(), n -> parse(n.address(), IpAddress::parse),
                        n -> new Neighbour(parse(n.address(), IpAddress::parse), n.interfaceName(),
                                NeighbourState.valueOf(n.state()), n.mac())),
                TreeMap.ofAll(d.gatewaySessions()));
    }

    private static FlowDefined flowEvent(Flow f) {
        return new FlowDefined(f.name(), f.stream(), f.priority(), f.protocols().map(Protocol::label).toJavaList(),
                f.sourceSubnets().map(Cidr::toString).toJavaList(), f.sourcePorts().map(PortRange::toString).toJavaList(),
                f.destinationPorts().map(PortRange::toString).toJavaList(), f.vips().toJavaList(),
                f.byteMatches().map(ByteMatch::toString).toJavaList());
    }

    private static Flow flow(FlowDefined f) {
        return new Flow(f.name(), f.stream(), f.priority(), set(f.protocols(), Protocol::parse),
                set(f.sourceSubnets(), Cidr::parse), set(f.sourcePorts(), PortRange::parse),
                set(f.destinationPorts(), PortRange::parse), TreeSet.ofAll(f.vips()),
                List.ofAll(f.byteMatches()).map(text -> parse(text, ByteMatch::parse)));
    }

    private static <T extends Comparable<? super T>> SortedSet<T> set(
            java.util.List<String> texts, Function<String, Either<String, T>> parser) {
        return TreeSet.ofAll(List.ofAll(texts).map(text -> parse(text, parser)));
    }

    private static <T> T parse(String text, Function<String, Either<String, T>> parser) {
        Either<String, T> parsed = parser.apply(text);
        if (parsed.isLeft()) {
            throw new IllegalArgumentException(parsed.getLeft());
        }
        return parsed.get();
    }
}
