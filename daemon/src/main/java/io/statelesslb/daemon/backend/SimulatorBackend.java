package io.statelesslb.daemon.backend;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.state.State;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.sim.LinuxRendering;
import io.statelesslb.sim.PacketTrace;
import io.statelesslb.sim.SimulatedDataplane;
import io.statelesslb.sim.SimulatedHost;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated dataplane as a backend: needs no privileges, and since it has no kernel to watch, the machine's
 * interfaces, neighbours and gateway sessions are whatever observation events say.
 */
public final class SimulatorBackend implements Backend {

    private final SimulatedDataplane dataplane = new SimulatedDataplane();
    private final PermutationCache permutations = new PermutationCache();

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Dataplane dataplane() {
        return dataplane;
    }

    @Override
    public boolean acceptsObservations() {
        return true;
    }

    @Override
    public void observed(ObservationEvent event) {
        SimulatedHost host = dataplane.host();
        if (event instanceof InterfaceUp up) {
            host.interfaceUp(up.name(), up.mtu() == 0 ? NetworkInterface.DEFAULT_MTU : up.mtu(),
                    up.addresses().toArray(String[]::new));
        } else if (event instanceof InterfaceDown down) {
            host.interfaceDown(down.name());
        } else if (event instanceof NeighbourReachable reachable) {
            host.neighbourReachable(reachable.address(), reachable.interfaceName(), reachable.mac());
        } else if (event instanceof NeighbourFailed failed) {
            host.neighbourFailed(failed.address(), failed.interfaceName());
        }
    }

    /** The simulated machine is what the state recorded: after a restart, the log is all there is. */
    @Override
    public void restore(State state) {
        for (NetworkInterface link : state.interfaces().values()) {
            observed(new InterfaceUp(link.name(), link.addresses().map(Object::toString).toJavaList(), link.mtu()));
            if (!link.up()) {
                observed(new InterfaceDown(link.name()));
            }
        }
        for (Neighbour neighbour : state.neighbours().values()) {
            observed(neighbour.state() == NeighbourState.REACHABLE
                    ? new NeighbourReachable(neighbour.address().toString(), neighbour.interfaceName(), neighbour.mac())
                    : new NeighbourFailed(neighbour.address().toString(), neighbour.interfaceName()));
        }
    }

    /**
     * @return {@code plan}, applied to a fresh simulator whose machine is {@code state}'s, as the Linux tools would
     *         print it (for replays, which have a plan but no dataplane)
     */
    public static List<Rendering> rendered(State state, DataplaneSpec plan) {
        SimulatorBackend backend = new SimulatorBackend();
        backend.restore(state);
        ApplyResult result = backend.dataplane.apply(Diff.diff(DataplaneSpec.empty(), plan));
        if (!(result instanceof ApplyResult.Applied)) {
            throw new IllegalStateException("a plan does not apply to an empty simulator: " + result);
        }
        return backend.render(backend.dataplane.applied());
    }

    @Override
    public List<Rendering> render(DataplaneSpec applied) {
        List<Rendering> views = new ArrayList<>();
        views.add(new Rendering("nft list ruleset", dataplane.nftRuleset()));
        views.add(new Rendering("ip rule", LinuxRendering.ipRules(applied, Family.IPV4)));
        views.add(new Rendering("ip -6 rule", LinuxRendering.ipRules(applied, Family.IPV6)));
        for (Family family : Family.values()) {
            for (int table : LinuxRendering.tables(applied, family)) {
                views.add(new Rendering("ip " + (family == Family.IPV6 ? "-6 " : "") + "route show table " + table,
                        LinuxRendering.ipRoutes(applied, family, table)));
            }
        }
        views.add(new Rendering("ip neigh", LinuxRendering.ipNeighbours(dataplane.host(), applied, Family.IPV4)));
        views.add(new Rendering("ip -6 neigh", LinuxRendering.ipNeighbours(dataplane.host(), applied, Family.IPV6)));
        views.add(new Rendering("nfqlb flow-list", LinuxRendering.nfqlbFlowList(applied)));
        for (StreamPlan stream : applied.streams().values()) {
            views.add(new Rendering("nfqlb show --shm=tshm-" + stream.stream(), maglev(stream)));
        }
        return views;
    }

    /** @return {@code nfqlb show} of one stream */
    public String maglev(StreamPlan stream) {
        synchronized (permutations) {
            return LinuxRendering.nfqlbShow(stream, permutations);
        }
    }

    @Override
    public PacketTrace trace(byte[] packet, String ingress) {
        return dataplane.inject(packet, ingress);
    }
}
