package io.statelesslb.domain.diff;

import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code diff(applied, desired) -> List<Op>}: the fewest operations that turn one dataplane into the other,
 * ordered make-before-break so that no packet is ever steered where it cannot go:
 * <ol>
 *   <li>withdraw announcements, then stop queueing removed VIPs, then remove deleted flows;</li>
 *   <li>exempt new conduits' interfaces from defragmentation before their targets get paths (removed last);</li>
 *   <li>deactivate slots before their paths are removed (a slot whose path changes is deactivated around it);</li>
 *   <li>configure Maglev tables, add paths (route, then rule), and only then activate slots;</li>
 *   <li>set gateway routes and egress rules, then put flows (their streams exist by now);</li>
 *   <li>delete Maglev tables no flow uses any more, and egress rules and gateway routes no longer wanted;</li>
 *   <li>last, queue new VIPs (their flows exist) and announce (something can forward).</li>
 * </ol>
 * Streams whose plan is the very same instance on both sides are skipped without a look inside.
 */
public final class Diff {

    /** The order in which kinds of operation are emitted; see the class comment for why. */
    private enum Phase {
        WITHDRAW, REMOVE_VIP_ELEMENT, REMOVE_FLOW, DEACTIVATE_SLOT, REMOVE_PATH, ADD_DEFRAG_EXEMPTION,
        CONFIGURE_MAGLEV, ADD_PATH, ACTIVATE_SLOT, SET_GATEWAY_ROUTE, ADD_EGRESS_RULE, PUT_FLOW, DELETE_MAGLEV,
        REMOVE_EGRESS_RULE, REMOVE_GATEWAY_ROUTE, REMOVE_DEFRAG_EXEMPTION, ADD_VIP_ELEMENT, ANNOUNCE
    }

    private final List<List<Op>> phases = new ArrayList<>();

    private Diff() {
        for (int i = 0; i < Phase.values().length; i++) {
            phases.add(new ArrayList<>(0));
        }
    }

    /**
     * @param applied the dataplane as it is
     * @param desired the dataplane as it should be
     * @return the operations, in order, that turn {@code applied} into {@code desired}; empty when they are equal
     */
    public static List<Op> diff(DataplaneSpec applied, DataplaneSpec desired) {
        if (applied == desired) {
            return List.of();
        }
        Diff diff = new Diff();
        diff.compare(applied, desired);
        List<Op> ops = new ArrayList<>();
        diff.phases.forEach(ops::addAll);
        return Collections.unmodifiableList(ops);
    }

    private void emit(Phase phase, Op op) {
        phases.get(phase.ordinal()).add(op);
    }

    private void compare(DataplaneSpec a, DataplaneSpec b) {
        SortedWalk.sets(a.announcements(), b.announcements(),
                vip -> emit(Phase.WITHDRAW, new Op.WithdrawVip(vip)),
                vip -> emit(Phase.ANNOUNCE, new Op.AnnounceVip(vip)));
        SortedWalk.sets(a.defragExemptions(), b.defragExemptions(),
                pattern -> emit(Phase.REMOVE_DEFRAG_EXEMPTION, new Op.RemoveDefragExemption(pattern)),
                pattern -> emit(Phase.ADD_DEFRAG_EXEMPTION, new Op.AddDefragExemption(pattern)));
        SortedWalk.sets(a.vipElements(), b.vipElements(),
                vip -> emit(Phase.REMOVE_VIP_ELEMENT, new Op.RemoveVipElement(vip)),
                vip -> emit(Phase.ADD_VIP_ELEMENT, new Op.AddVipElement(vip)));
        SortedWalk.maps(a.flows(), b.flows(), SortedWalk.of(
                (name, flow) -> emit(Phase.REMOVE_FLOW, new Op.RemoveFlow(name)),
                (name, flow) -> emit(Phase.PUT_FLOW, new Op.PutFlow(flow)),
                (name, before, after) -> emit(Phase.PUT_FLOW, new Op.PutFlow(after))));
        SortedWalk.maps(a.streams(), b.streams(), SortedWalk.of(
                (name, plan) -> {
                    retire(plan);
                    emit(Phase.DELETE_MAGLEV, new Op.DeleteMaglev(name));
                },
                (name, plan) -> {
                    emit(Phase.CONFIGURE_MAGLEV, new Op.ConfigureMaglev(name, plan.maglev()));
                    commission(plan);
                },
                this::compareStream));
        SortedWalk.sets(a.egressRules(), b.egressRules(),
                rule -> emit(Phase.REMOVE_EGRESS_RULE, new Op.RemoveEgressRule(rule)),
                rule -> emit(Phase.ADD_EGRESS_RULE, new Op.AddEgressRule(rule)));
        SortedWalk.<Family, GatewayRoute>maps(a.gatewayRoutes(), b.gatewayRoutes(), SortedWalk.of(
                (family, route) -> emit(Phase.REMOVE_GATEWAY_ROUTE, new Op.RemoveGatewayRoute(family, route.table())),
                (family, route) -> emit(Phase.SET_GATEWAY_ROUTE, new Op.SetGatewayRoute(route)),
                (family, before, after) -> emit(Phase.SET_GATEWAY_ROUTE, new Op.SetGatewayRoute(after))));
    }

    private void compareStream(String name, StreamPlan a, StreamPlan b) {
        if (!a.maglev().equals(b.maglev())) {
            retire(a);
            emit(Phase.CONFIGURE_MAGLEV, new Op.ConfigureMaglev(name, b.maglev()));
            commission(b);
            return;
        }
        Set<Integer> reroutedFwmarks = new HashSet<>();
        SortedWalk.sets(a.paths(), b.paths(),
                path -> {
                    emit(Phase.REMOVE_PATH, new Op.RemoveTargetPath(name, path));
                    reroutedFwmarks.add(path.fwmark());
                },
                path -> {
                    emit(Phase.ADD_PATH, new Op.AddTargetPath(name, path));
                    reroutedFwmarks.add(path.fwmark());
                });
        SortedWalk.maps(a.slots(), b.slots(), SortedWalk.of(
                (slot, fwmark) -> emit(Phase.DEACTIVATE_SLOT, new Op.DeactivateSlot(name, slot, fwmark)),
                (slot, fwmark) -> emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(name, slot, fwmark)),
                (slot, before, after) -> {
                    emit(Phase.DEACTIVATE_SLOT, new Op.DeactivateSlot(name, slot, before));
                    emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(name, slot, after));
                }));
        if (reroutedFwmarks.isEmpty()) {
            return;
        }
        // A slot that stays active while its path is replaced is taken out of service around the change.
        for (var slot : a.slots()) {
            if (reroutedFwmarks.contains(slot._2) && b.slots().get(slot._1).contains(slot._2)) {
                emit(Phase.DEACTIVATE_SLOT, new Op.DeactivateSlot(name, slot._1, slot._2));
                emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(name, slot._1, slot._2));
            }
        }
    }

    private void retire(StreamPlan plan) {
        plan.slots().forEach(slot -> emit(Phase.DEACTIVATE_SLOT,
                new Op.DeactivateSlot(plan.stream(), slot._1, slot._2)));
        for (TargetPath path : plan.paths()) {
            emit(Phase.REMOVE_PATH, new Op.RemoveTargetPath(plan.stream(), path));
        }
    }

    private void commission(StreamPlan plan) {
        for (TargetPath path : plan.paths()) {
            emit(Phase.ADD_PATH, new Op.AddTargetPath(plan.stream(), path));
        }
        plan.slots().forEach(slot -> emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(plan.stream(), slot._1, slot._2)));
    }
}
