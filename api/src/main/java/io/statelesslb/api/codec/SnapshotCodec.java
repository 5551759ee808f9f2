package io.statelesslb.api.codec;

import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.Instance;
import io.statelesslb.domain.model.LoadBalancerSettings;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.model.Trench;
import io.statelesslb.domain.model.Vip;
import io.statelesslb.domain.state.DefiningEvents;
import io.statelesslb.domain.state.State;
import io.vavr.collection.List;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;
import java.io.IOException;

/** Encodes a {@link State} with the sequence it reflects as a JSON snapshot, and decodes it back exactly. */
public final class SnapshotCodec {

    /** Format version written into every snapshot; a reader refuses others. */
    public static final int VERSION = 1;

    /** A decoded snapshot: the state after evolving events 1..{@code sequence}. */
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
                DefiningEvents.loadBalancer(state).stream().findFirst().orElse(null),
                DefiningEvents.conduits(state),
                state.streams().values().map(s -> new SnapshotDocument.StreamEntry(s.name(), s.conduit(),
                        s.maxTargets(), state.fwmarkOffsets().get(s.name()).get())).toJavaList(),
                DefiningEvents.flows(state),
                DefiningEvents.vips(state),
                DefiningEvents.attractors(state),
                DefiningEvents.gateways(state),
                state.targets().values().flatMap(SortedMap::values).map(t -> new SnapshotDocument.TargetEntry(
                        t.stream(), t.identifier(), t.ips().toJavaList(), t.enabled(), t.rulePriority())).toJavaList(),
                state.interfaces().values().map(i -> new SnapshotDocument.InterfaceEntry(i.name(), i.up(),
                        i.addresses().toJavaList(), i.mtu())).toJavaList(),
                state.neighbours().values().map(n -> new SnapshotDocument.NeighbourEntry(n.address(),
                        n.interfaceName(), n.state(), n.mac())).toJavaList(),
                state.gatewaySessions().toJavaMap(java.util.TreeMap::new, t -> t),
                state.instances().values().map(i -> new SnapshotDocument.InstanceEntry(i.name(), i.identifier(),
                        i.address(), i.interfaceName())).toJavaList());
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
            throw new CodecException("snapshot at sequence " + d.sequence() + " holds an invalid value: "
                    + e.getMessage(), e);
        }
    }

    private static State state(SnapshotDocument d) {
        SortedMap<String, SortedMap<Integer, Target>> targets = TreeMap.empty();
        for (SnapshotDocument.TargetEntry t : d.targets()) {
            Target target = new Target(t.stream(), t.identifier(), TreeSet.ofAll(t.ips()), t.enabled(),
                    t.rulePriority());
            targets = targets.put(t.stream(), targets.get(t.stream()).getOrElse(TreeMap.empty())
                    .put(t.identifier(), target));
        }
        return State.of(
                Option.of(d.trench()).map(name -> new Trench(name, d.loadBalancer() == null
                        ? LoadBalancerSettings.DEFAULTS : d.loadBalancer().settings())),
                TreeMap.ofAll(d.conduits().stream(), c -> c.name(), c -> new Conduit(c.name(), c.interfacePrefix(),
                        c.destinationPortNats())),
                TreeMap.ofAll(d.streams().stream(), s -> s.name(),
                        s -> new Stream(s.name(), s.conduit(), s.maxTargets())),
                TreeMap.ofAll(d.streams().stream(), s -> s.name(), s -> s.fwmarkOffset()),
                TreeMap.ofAll(d.flows().stream(), f -> f.name(), SnapshotCodec::flow),
                TreeMap.ofAll(d.vips().stream(), v -> v.name(), v -> new Vip(v.name(), v.address())),
                TreeMap.ofAll(d.attractors().stream(), a -> a.name(),
                        a -> new Attractor(a.name(), TreeSet.ofAll(a.vips()), TreeSet.ofAll(a.gateways()))),
                TreeMap.ofAll(d.gateways().stream(), g -> g.name(), g -> new Gateway(g.name(), g.address(),
                        g.interfaceName(), g.protocol(), g.bfd(), g.remoteAsn(), g.localAsn(), g.options())),
                targets,
                TreeMap.ofAll(d.interfaces().stream(), i -> i.name(), i -> new NetworkInterface(i.name(), i.up(),
                        TreeSet.ofAll(i.addresses()), i.mtu())),
                TreeMap.ofAll(d.neighbours().stream(), n -> n.address(),
                        n -> new Neighbour(n.address(), n.interfaceName(), n.state(), n.mac())),
                TreeMap.ofAll(d.gatewaySessions()),
                // Snapshots from before the LB tier have no instances.
                d.instances() == null ? TreeMap.empty() : TreeMap.ofAll(d.instances().stream(), i -> i.name(),
                        i -> new Instance(i.name(), i.identifier(), i.address(), i.interfaceName())));
    }

    private static Flow flow(FlowDefined f) {
        return new Flow(f.name(), f.stream(), f.priority(),
                TreeSet.ofAll(f.protocols()), TreeSet.ofAll(f.sourceSubnets()),
                TreeSet.ofAll(f.sourcePorts()), TreeSet.ofAll(f.destinationPorts()), TreeSet.ofAll(f.vips()),
                List.ofAll(f.byteMatches()));
    }
}
