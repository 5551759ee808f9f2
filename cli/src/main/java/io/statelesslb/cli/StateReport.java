package io.statelesslb.cli;

import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Conduit;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.vavr.collection.Traversable;

/** The state as text for people: one section per kind of object, sorted, so equal states print identically. */
final class StateReport {

    private StateReport() {
    }

    /**
     * @param sequence   the sequence the state reflects
     * @param state      to print
     * @param plan       the plan of {@code state}, to tell active targets from pending ones
     */
    static String render(long sequence, State state, DataplaneSpec plan) {
        StringBuilder out = new StringBuilder();
        out.append("sequence: ").append(sequence).append('\n');
        out.append("trench: ").append(state.trench().map(t -> t.name()).getOrElse("(none)")).append('\n');
        section(out, "conduits", state.conduits().values(), (Conduit c) ->
                c.name() + "  interfaces " + c.interfacePrefix() + "*");
        section(out, "streams", state.streams().values(), (Stream s) -> {
            int offset = state.fwmarkOffsets().get(s.name()).get();
            return s.name() + "  conduit=" + s.conduit() + " maxTargets=" + s.maxTargets() + " fwmarks="
                    + (offset + 1) + ".." + (offset + s.maxTargets()) + " targets=" + state.targetsOf(s.name()).size();
        });
        section(out, "flows", state.flows().values(), (Flow f) -> f.name() + "  stream=" + f.stream()
                + " priority=" + f.priority()
                + list(" protocols=", f.protocols().map(Protocol::label))
                + list(" srcs=", f.sourceSubnets()) + list(" sports=", f.sourcePorts())
                + list(" dports=", f.destinationPorts()) + list(" vips=", f.vips())
                + list(" match=", f.byteMatches()));
        section(out, "vips", state.vips().values(), v -> v.name() + "  " + v.address());
        section(out, "attractors", state.attractors().values(), (Attractor a) -> a.name()
                + list("  vips=", a.vips()) + list(" gateways=", a.gateways()));
        section(out, "gateways", state.gateways().values(), (Gateway g) -> g.name() + "  " + g.address() + " dev "
                + g.interfaceName() + " " + g.protocol().label() + (g.bfd() ? " bfd" : "")
                + (g.remoteAsn() != 0 ? " asn " + g.localAsn() + "->" + g.remoteAsn() : "")
                + " session " + (state.gatewayUsable(g) ? "up" : "down"));
        section(out, "targets", state.targets().values().flatMap(byId -> byId.values()), (Target t) -> {
            int fwmark = t.identifier() + state.fwmarkOffsets().get(t.stream()).get();
            boolean active = plan.streams().get(t.stream())
                    .exists(p -> p.slots().get(t.identifier() - 1).contains(fwmark));
            return t.stream() + "/" + t.identifier() + "  " + t.ips().mkString(",") + " fwmark " + fwmark + " rule "
                    + t.rulePriority() + " " + (t.enabled() ? "enabled" : "disabled") + " "
                    + (active ? "active" : "pending (" + Planner.pendingReason(state, t).getOrElse("?") + ")");
        });
        section(out, "interfaces", state.interfaces().values(), (NetworkInterface i) -> i.name() + "  "
                + (i.up() ? "up" : "down") + " mtu " + i.mtu() + list(" ", i.addresses()));
        section(out, "neighbours", state.neighbours().values(), (Neighbour n) -> n.address() + " dev "
                + n.interfaceName() + " " + n.state().name() + (n.mac().isEmpty() ? "" : " lladdr " + n.mac()));
        return out.toString();
    }

    private static <T> void section(StringBuilder out, String title, Traversable<T> items,
                                    java.util.function.Function<T, String> line) {
        out.append(title).append(':');
        if (items.isEmpty()) {
            out.append(" (none)\n");
            return;
        }
        out.append('\n');
        items.forEach(item -> out.append("  ").append(line.apply(item)).append('\n'));
    }

    private static String list(String label, Traversable<?> values) {
        return values.isEmpty() ? "" : label + values.mkString(",");
    }
}
