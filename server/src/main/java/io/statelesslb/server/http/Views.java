package io.statelesslb.server.http;

import io.statelesslb.api.http.DataplaneView;
import io.statelesslb.api.http.GatewayStatusView;
import io.statelesslb.api.http.LiveTraceView;
import io.statelesslb.api.http.MaglevView;
import io.statelesslb.api.http.StatusView;
import io.statelesslb.api.http.TierMemberView;
import io.statelesslb.api.http.TargetView;
import io.statelesslb.api.http.TraceView;
import io.statelesslb.controller.ControllerStatus;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.engine.EngineTables;
import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.render.LinuxViews;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.state.State;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.MaglevTable;
import io.statelesslb.server.build.BuildInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How the controller's state, the dataplane and a trace become the API's views. */
final class Views {

    private Views() {
    }

    /**
     * @param actual what the dataplane holds now
     * @param status where the controller is: whether the dataplane has caught up, and the last apply, to tell a
     *               failing apply from a missing interface
     */
    static TargetView target(State state, Target target, DataplaneSpec actual, ControllerStatus status) {
        int fwmark = state.fwmarkOf(target.stream(), target.identifier());
        boolean active = actual.streams().get(target.stream())
                .exists(stream -> stream.slots().get(target.identifier() - 1).contains(fwmark));
        String label;
        String reason = null;
        if (active) {
            label = target.enabled() ? "active" : "disabling";
        } else if (!target.enabled()) {
            label = "disabled";
        } else {
            label = "pending";
            if (status.lastReport().isPresent() && !status.lastReport().get().applied()) {
                reason = "the dataplane refuses an operation: " + status.lastReport().get().result();
            } else if (!status.upToDate()) {
                reason = "being applied";
            } else {
                reason = Planner.pendingReason(state, target).getOrElse("being applied");
            }
        }
        return new TargetView(target.stream(), target.identifier(), target.ips().map(Object::toString).toJavaList(),
                target.enabled(), fwmark, target.rulePriority(), label, reason);
    }

    /** @param sequence the sequence whose plan the dataplane matches */
    static MaglevView maglev(StreamPlan stream, long sequence) {
        Maglev maglev = new EngineTables().maglev(stream);
        MaglevTable table = maglev.view().table();
        int[] lookup = new int[table.size()];
        int[] entries = new int[stream.maglev().n()];
        for (int i = 0; i < lookup.length; i++) {
            lookup[i] = table.entry(i);
            if (lookup[i] >= 0) {
                entries[lookup[i]]++;
            }
        }
        List<MaglevView.Slot> active = new ArrayList<>();
        stream.slots().forEach(slot -> active.add(new MaglevView.Slot(slot._1 + 1, slot._1, slot._2,
                entries[slot._1], lookup.length == 0 ? 0 : (double) entries[slot._1] / lookup.length)));
        return new MaglevView(stream.stream(), sequence, maglev.m(), stream.maglev().n(), active, lookup,
                LinuxViews.nfqlbShow(stream, maglev));
    }

    static TraceView trace(PacketTrace trace) {
        return new TraceView(trace.outcome().name(), trace.dropReason(), trace.fwmark(), trace.flow(), trace.stream(),
                trace.egress(), trace.nextHop(), trace.mac(), trace.steps(), trace.render());
    }

    /** @param source {@code dataplane} (what the backend holds) or {@code model} (the plan of the state) */
    static LiveTraceView liveTrace(LiveTrace trace) {
        return new LiveTraceView(trace.time().toString(), trace.queue(), trace.ingress(), trace.family(),
                trace.protocol(), trace.source(), trace.sourcePort(), trace.destination(), trace.destinationPort(),
                trace.length(), trace.flow(), trace.stream(), trace.hash(), trace.slot(), trace.target(),
                trace.fwmark(), trace.verdict(), trace.reason(), trace.header());
    }

    static DataplaneView dataplane(ControllerStatus status, String source, long sequence, List<Rendering> views) {
        return new DataplaneView(status.backend(), source, sequence, views.stream()
                .map(view -> new DataplaneView.ToolOutput(view.command(), view.output())).toList());
    }

    /**
     * @return every gateway defined, with its session as the routing daemon reports it; a gateway no attractor names
     *         runs no session and is {@code unused}
     */
    static List<GatewayStatusView> gateways(State state, List<GatewaySession> sessions, Instant now) {
        Map<String, GatewaySession> byName = new HashMap<>();
        sessions.forEach(session -> byName.put(session.gateway(), session));
        List<GatewayStatusView> views = new ArrayList<>();
        for (Gateway gateway : state.gateways().values()) {
            GatewaySession session = byName.get(gateway.name());
            if (session == null) {
                views.add(new GatewayStatusView(gateway.name(), gateway.protocol().label(),
                        gateway.address().toString(), gateway.interfaceName(), false, "unused", null, null, null, 0,
                        List.of(), "no attractor names it: no session runs"));
                continue;
            }
            Long uptime = session.up() ? session.since().map(since -> Math.max(0,
                    Duration.between(since, now).toSeconds())).orElse(null) : null;
            views.add(new GatewayStatusView(gateway.name(), gateway.protocol().label(), gateway.address().toString(),
                    gateway.interfaceName(), session.up(), session.state(),
                    session.since().map(Instant::toString).orElse(null), uptime, session.bfd().orElse(null),
                    session.routesLearned(), session.announced().map(Object::toString).toJavaList(),
                    session.info().isEmpty() ? null : session.info()));
        }
        return views;
    }

    static StatusView status(ControllerStatus status, State state) {
        return new StatusView(status.backend(), status.sequence(), status.appliedSequence(),
                status.notReady().isEmpty(), status.notReady().orElse(null), status.queued(), status.watchers(),
                status.lastReport().map(report -> report.applied()
                        ? "applied " + report.ops().size() + " operation(s) for sequence " + report.sequence()
                        + " in " + report.attempts() + " attempt(s)"
                        : "failing after " + report.attempts() + " attempt(s): " + report.result()).orElse(null),
                BuildInfo.version(), status.events(), status.instance().orElse(null),
                state.instances().isEmpty() ? null : state.instances().values().map(member -> new TierMemberView(
                        member.name(), member.address().toString(), member.interfaceName(), member.fwmark()))
                        .toJavaList());
    }
}
