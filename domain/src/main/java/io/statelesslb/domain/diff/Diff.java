package io.statelesslb.domain.diff;

import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.plan.StreamPlan;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code diff(actual, desired) -> List<Op>}: the fewest operations that turn one dataplane into the other,
 * ordered make-before-break so that no packet is ever steered where it cannot go:
 * <ol>
 *   <li>withdraw announcements (sessions stopped, or announcing less), then stop queueing removed VIPs, then
 *       remove deleted flows;</li>
 *   <li>deactivate slots, and only then remove rules and routes (rules first: a rule never leads to an empty
 *       table), then the port translations that go;</li>
 *   <li>set the engine's options (how the queues are read), install the nf_tables tables (or make them whole),
 *       then exempt new conduits' interfaces from defragmentation and add their port translations before their
 *       targets get paths (exemptions are removed last);</li>
 *   <li>configure Maglev tables, set routes (a replace is atomic), add rules, and only then activate slots;</li>
 *   <li>put flows (their streams exist by now), then delete Maglev tables no flow uses any more;</li>
 *   <li>last, queue new VIPs (their flows exist) and start or change sessions to announce (something can
 *       forward); remove the tables when nothing is to be load-balanced any more.</li>
 * </ol>
 * The gateways' table (4096) is never an operation: the routing daemon writes what its sessions learn.
 * Streams whose plan is the very same instance on both sides are skipped without a look inside; so are the rules
 * and the routes.
 */
public final class Diff {

    /** The order in which kinds of operation are emitted; see the class comment for why. */
    private enum Phase {
        WITHDRAW, REMOVE_VIP_ELEMENT, REMOVE_FLOW, DEACTIVATE_SLOT, REMOVE_RULE, REMOVE_ROUTE, REMOVE_PORT_NAT,
        SET_ENGINE_OPTIONS, INSTALL_TABLES, ADD_DEFRAG_EXEMPTION, ADD_PORT_NAT, CONFIGURE_MAGLEV, SET_ROUTE, ADD_RULE,
        ACTIVATE_SLOT, PUT_FLOW, DELETE_MAGLEV, REMOVE_DEFRAG_EXEMPTION, ADD_VIP_ELEMENT, ANNOUNCE, REMOVE_TABLES
    }

    private final List<List<Op>> phases = new ArrayList<>();

    private Diff() {
        for (int i = 0; i < Phase.values().length; i++) {
            phases.add(new ArrayList<>(0));
        }
    }

    /**
     * @param actual  the dataplane as it is
     * @param desired the dataplane as it should be
     * @return the operations, in order, that turn {@code actual} into {@code desired}; empty when they are equal
     */
    public static List<Op> diff(DataplaneSpec actual, DataplaneSpec desired) {
        if (actual == desired) {
            return List.of();
        }
        Diff diff = new Diff();
        diff.compare(actual, desired);
        List<Op> ops = new ArrayList<>();
        diff.phases.forEach(ops::addAll);
        return Collections.unmodifiableList(ops);
    }

    private void emit(Phase phase, Op op) {
        phases.get(phase.ordinal()).add(op);
    }

    private void compare(DataplaneSpec a, DataplaneSpec b) {
        if (!a.queueing().equals(b.queueing())) {
            emit(b.queueing().isDefined() ? Phase.INSTALL_TABLES : Phase.REMOVE_TABLES,
                    b.queueing().<Op>map(Op.InstallTables::new).getOrElse(new Op.RemoveTables()));
        }
        if (!a.engine().equals(b.engine())) {
            emit(Phase.SET_ENGINE_OPTIONS, new Op.SetEngineOptions(b.engine()));
        }
        if (a.gateways() != b.gateways()) {
            SortedWalk.maps(a.gateways(), b.gateways(), SortedWalk.of(
                    (name, session) -> emit(Phase.WITHDRAW, new Op.RemoveGateway(name)),
                    (name, session) -> emit(Phase.ANNOUNCE, new Op.PutGateway(session)),
                    // Announcing less, and nothing else changed, is a withdrawal: it goes first.
                    (name, before, after) -> emit(after.gateway().equals(before.gateway())
                            && before.announced().containsAll(after.announced()) ? Phase.WITHDRAW : Phase.ANNOUNCE,
                            new Op.PutGateway(after))));
        }
        SortedWalk.sets(a.defragExemptions(), b.defragExemptions(),
                pattern -> emit(Phase.REMOVE_DEFRAG_EXEMPTION, new Op.RemoveDefragExemption(pattern)),
                pattern -> emit(Phase.ADD_DEFRAG_EXEMPTION, new Op.AddDefragExemption(pattern)));
        SortedWalk.sets(a.portNats(), b.portNats(),
                nat -> emit(Phase.REMOVE_PORT_NAT, new Op.RemovePortNat(nat)),
                nat -> emit(Phase.ADD_PORT_NAT, new Op.AddPortNat(nat)));
        SortedWalk.sets(a.vipElements(), b.vipElements(),
                vip -> emit(Phase.REMOVE_VIP_ELEMENT, new Op.RemoveVipElement(vip)),
                vip -> emit(Phase.ADD_VIP_ELEMENT, new Op.AddVipElement(vip)));
        SortedWalk.maps(a.flows(), b.flows(), SortedWalk.of(
                (name, flow) -> emit(Phase.REMOVE_FLOW, new Op.RemoveFlow(name)),
                (name, flow) -> emit(Phase.PUT_FLOW, new Op.PutFlow(flow)),
                (name, before, after) -> emit(Phase.PUT_FLOW, new Op.PutFlow(after))));
        SortedWalk.maps(a.streams(), b.streams(), SortedWalk.of(
                (name, plan) -> {
                    deactivateAll(plan);
                    emit(Phase.DELETE_MAGLEV, new Op.DeleteMaglev(name));
                },
                (name, plan) -> {
                    emit(Phase.CONFIGURE_MAGLEV, new Op.ConfigureMaglev(name, plan.maglev()));
                    activateAll(plan);
                },
                this::compareStream));
        if (a.rules() != b.rules()) {
            SortedWalk.sets(a.rules(), b.rules(),
                    rule -> emit(Phase.REMOVE_RULE, new Op.RemoveRule(rule)),
                    rule -> emit(Phase.ADD_RULE, new Op.AddRule(rule)));
        }
        if (a.routes() != b.routes()) {
            // The gateways' table is the routing daemon's to write: it follows the sessions, never an op.
            SortedWalk.maps(withoutGateways(a.routes()), withoutGateways(b.routes()), SortedWalk.of(
                    (table, hops) -> emit(Phase.REMOVE_ROUTE, new Op.RemoveRoute(table)),
                    (table, hops) -> emit(Phase.SET_ROUTE, new Op.SetRoute(table, hops)),
                    (table, before, after) -> emit(Phase.SET_ROUTE, new Op.SetRoute(table, after))));
        }
    }

    private static SortedMap<RoutingTable, SortedSet<Nexthop>> withoutGateways(
            SortedMap<RoutingTable, SortedSet<Nexthop>> routes) {
        return routes.filterKeys(table -> table.number() != RoutingTable.GATEWAYS);
    }

    private void compareStream(String name, StreamPlan a, StreamPlan b) {
        if (!a.maglev().equals(b.maglev())) {
            // A reshaped table starts empty: every slot is put back once it has its new shape.
            deactivateAll(a);
            emit(Phase.CONFIGURE_MAGLEV, new Op.ConfigureMaglev(name, b.maglev()));
            activateAll(b);
            return;
        }
        SortedWalk.maps(a.slots(), b.slots(), SortedWalk.of(
                (slot, fwmark) -> emit(Phase.DEACTIVATE_SLOT, new Op.DeactivateSlot(name, slot, fwmark)),
                (slot, fwmark) -> emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(name, slot, fwmark)),
                (slot, before, after) -> {
                    emit(Phase.DEACTIVATE_SLOT, new Op.DeactivateSlot(name, slot, before));
                    emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(name, slot, after));
                }));
    }

    private void deactivateAll(StreamPlan plan) {
        plan.slots().forEach(slot -> emit(Phase.DEACTIVATE_SLOT,
                new Op.DeactivateSlot(plan.stream(), slot._1, slot._2)));
    }

    private void activateAll(StreamPlan plan) {
        plan.slots().forEach(slot -> emit(Phase.ACTIVATE_SLOT, new Op.ActivateSlot(plan.stream(), slot._1, slot._2)));
    }
}
