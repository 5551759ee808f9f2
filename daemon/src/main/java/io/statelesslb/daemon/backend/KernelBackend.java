package io.statelesslb.daemon.backend;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import io.statelesslb.nfqueue.dataplane.KernelDataplane;
import io.statelesslb.nfqueue.netlink.JnaNetlinkSocket;
import io.statelesslb.nfqueue.netlink.Netlink;
import io.statelesslb.nfqueue.route.Link;
import io.statelesslb.nfqueue.route.Neighbour;
import io.statelesslb.nfqueue.route.Rtnetlink;
import io.statelesslb.sim.PacketTrace;
import io.vavr.collection.TreeSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The real kernel as the daemon's backend: plans are applied by {@link KernelDataplane}; the machine's interfaces
 * and neighbour table are read from the kernel and become observation events ({@link #observe}). Renderings and traces come from a
 * model that the same operations are applied to (the simulator's), since they explain what was applied.
 */
public final class KernelBackend implements Backend {

    private final KernelDataplane kernel;
    private final Rtnetlink links;
    private final SimulatorBackend model = new SimulatorBackend();
    private final Dataplane dataplane = new Dataplane() {
        @Override
        public DataplaneSpec applied() {
            return kernel.applied();
        }

        @Override
        public ApplyResult apply(List<Op> ops) {
            ApplyResult result = kernel.apply(ops);
            int done = result instanceof ApplyResult.Failed failed ? failed.applied() : ops.size();
            model.dataplane().apply(ops.subList(0, done));
            return result;
        }
    };

    private KernelBackend(KernelDataplane kernel, Rtnetlink links) {
        this.kernel = kernel;
        this.links = links;
    }

    /**
     * Takes over the kernel's dataplane.
     *
     * @param namespace the network namespace to serve ({@code ip netns} name), or null for the daemon's own
     * @param queues    NFQUEUE queues (from 0), one worker thread each
     */
    public static KernelBackend open(String namespace, int queues) {
        Path file = namespace == null ? null : Path.of("/run/netns", namespace);
        KernelDataplane kernel = KernelDataplane.open(file, queues);
        try {
            return new KernelBackend(kernel, new Rtnetlink(JnaNetlinkSocket.openIn(file, Netlink.NETLINK_ROUTE), 1));
        } catch (RuntimeException e) {
            kernel.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public Dataplane dataplane() {
        return dataplane;
    }

    @Override
    public boolean acceptsObservations() {
        return false;
    }

    @Override
    public void observed(ObservationEvent event) {
        model.observed(event);
    }

    /** The model behind traces learns the machine from the log; the kernel is asked by {@link #observe}. */
    @Override
    public void restore(State state) {
        model.restore(state);
    }

    /**
     * Reads the kernel's interfaces and neighbour table and compares them with what the state has observed.
     *
     * @return the events that bring the state to the kernel's interfaces (none when they agree)
     */
    @Override
    public synchronized List<ObservationEvent> observe(State state) {
        List<ObservationEvent> events = new ArrayList<>();
        Map<String, Link> seen = new TreeMap<>();
        for (Link link : links.links()) {
            seen.put(link.name(), link);
            NetworkInterface known = state.interfaces().get(link.name()).getOrNull();
            if (link.up()) {
                TreeSet<Cidr> addresses = TreeSet.ofAll(link.addresses());
                if (known == null || !known.up() || !known.addresses().equals(addresses) || known.mtu() != link.mtu()) {
                    events.add(new InterfaceUp(link.name(), link.addresses().stream().map(Cidr::toString).sorted()
                            .toList(), link.mtu()));
                }
            } else if (known != null && known.up()) {
                events.add(new InterfaceDown(link.name()));
            }
        }
        state.interfaces().values().filter(known -> known.up() && !seen.containsKey(known.name()))
                .forEach(gone -> events.add(new InterfaceDown(gone.name())));
        Map<Integer, String> names = new TreeMap<>();
        seen.values().forEach(link -> names.put(link.index(), link.name()));
        for (Neighbour neighbour : links.neighbours()) {
            String device = names.get(neighbour.interfaceIndex());
            io.statelesslb.domain.model.Neighbour known = state.neighbours().get(neighbour.address()).getOrNull();
            if (device == null) {
                continue;
            }
            if (neighbour.failed()) {
                if (known == null || known.state() != NeighbourState.FAILED || !known.interfaceName().equals(device)) {
                    events.add(new NeighbourFailed(neighbour.address().toString(), device));
                }
            } else if (neighbour.mac() != null && (known == null || known.state() != NeighbourState.REACHABLE
                    || !known.mac().equals(neighbour.mac()) || !known.interfaceName().equals(device))) {
                // Entries that merely went stale still answer; an entry the kernel dropped says nothing.
                events.add(new NeighbourReachable(neighbour.address().toString(), device, neighbour.mac()));
            }
        }
        return events;
    }

    @Override
    public List<Rendering> render(DataplaneSpec applied) {
        return model.render(applied);
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        return model.trace(packet, ingress);
    }

    /** @return packets the NFQUEUE workers have given a verdict */
    @Override
    public long packetsDecided() {
        return kernel.packets();
    }

    @Override
    public void close() {
        links.close();
        kernel.close();
    }
}
