package io.statelesslb.sim;

import io.statelesslb.dataplane.ApplyResult;
import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.diff.Apply;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.vavr.control.Either;
import java.util.List;

/**
 * A simulated Linux dataplane: it holds the nft sets, Maglev tables, rules and routes as a model and applies
 * operations with the kernel's refusals (adding what exists, removing what is absent) and the safety rules
 * (no active slot without a path). Packets injected into it take the path the kernel and the load balancer
 * would give them ({@link #inject}). Deterministic, needs no privileges; CI runs the whole pipeline on it.
 */
public final class SimulatedDataplane implements Dataplane {

    private DataplaneSpec applied = DataplaneSpec.empty();
    private final SimulatedHost host;
    private final PacketPath path;

    /** A dataplane on a host with no interfaces yet. */
    public SimulatedDataplane() {
        this(new SimulatedHost(), false);
    }

    /**
     * @param host            the machine's interfaces and neighbours
     * @param promiscuousPing whether ICMP echoes match flows by address alone (nfqlb's --promiscuous_ping)
     */
    public SimulatedDataplane(SimulatedHost host, boolean promiscuousPing) {
        this.host = host;
        this.path = new PacketPath(host, promiscuousPing);
    }

    /** @return the machine around this dataplane */
    public SimulatedHost host() {
        return host;
    }

    /**
     * Sends a packet into the dataplane as if it arrived on {@code ingress}, or, with ingress {@code "local"}, as
     * if this host sent it (the output chain queues only ICMP to a VIP).
     *
     * @return every step it took and how it ended
     */
    public synchronized PacketTrace inject(byte[] packet, String ingress) {
        return path.inject(applied, packet, ingress);
    }

    /**
     * Deletes a target's rule and route of one family as an operator typing {@code ip rule del} and
     * {@code ip route del} would: behind the controller's back.
     */
    public synchronized void tamperDeletePath(Family family, int fwmark) {
        io.vavr.collection.SortedMap<String, StreamPlan> streams = applied.streams();
        for (StreamPlan stream : streams.values()) {
            streams = streams.put(stream.stream(),
                    stream.withPaths(stream.paths().filter(p -> p.family() != family || p.fwmark() != fwmark)));
        }
        applied = applied.withStreams(streams);
        path.configure(applied);
    }

    /** Removes a VIP from its nft set as {@code nft delete element} would: behind the controller's back. */
    public synchronized void tamperRemoveVipElement(Cidr vip) {
        applied = applied.withVipElements(applied.vipElements().remove(vip));
        path.configure(applied);
    }

    /** @return packets and bytes each queueing rule matched, by the rule's text as listed with zero counters */
    public synchronized java.util.Map<String, long[]> ruleCounters() {
        return path.ruleCounters();
    }

    /** @return {@code nft list ruleset} with the rules' counters as they stand */
    public synchronized String nftRuleset() {
        String ruleset = LinuxRendering.nftRuleset(applied);
        for (var counted : path.ruleCounters().entrySet()) {
            ruleset = ruleset.replace(counted.getKey(), counted.getKey().replace("packets 0 bytes 0",
                    "packets " + counted.getValue()[0] + " bytes " + counted.getValue()[1]));
        }
        return ruleset;
    }

    /** @return how many packets were load-balanced to each fwmark */
    public synchronized java.util.Map<Integer, Long> targetHits() {
        return path.targetHits();
    }

    @Override
    public synchronized DataplaneSpec applied() {
        return applied;
    }

    @Override
    public synchronized ApplyResult apply(List<Op> ops) {
        for (int i = 0; i < ops.size(); i++) {
            Either<String, DataplaneSpec> next = Apply.apply(applied, ops.get(i));
            if (next.isLeft()) {
                path.configure(applied);
                return new ApplyResult.Failed(i, ops.get(i), next.getLeft());
            }
            applied = next.get();
        }
        path.configure(applied);
        return new ApplyResult.Applied(ops.size());
    }
}
