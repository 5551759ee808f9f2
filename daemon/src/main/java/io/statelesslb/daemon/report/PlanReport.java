package io.statelesslb.daemon.report;

import io.statelesslb.engine.maglev.Primes;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.Protocol;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import io.vavr.collection.Traversable;

/** The desired dataplane as text for people, in a fixed order so that equal plans print identically. */
public final class PlanReport {

    private PlanReport() {
    }

    /** @return {@code spec} as text */
    public static String render(DataplaneSpec spec) {
        StringBuilder out = new StringBuilder();
        out.append("vip sets:\n");
        out.append("  ipv4-vips: ").append(elements(spec, Family.IPV4)).append('\n');
        out.append("  ipv6-vips: ").append(elements(spec, Family.IPV6)).append('\n');
        out.append("flows:").append(spec.flows().isEmpty() ? " (none)" : "").append('\n');
        for (FlowSpec f : spec.flows().values()) {
            out.append("  ").append(f.name()).append("  stream=").append(f.stream()).append(" priority=")
                    .append(f.priority()).append(list(" protocols=", f.protocols().map(Protocol::label)))
                    .append(list(" srcs=", f.sourceSubnets())).append(list(" sports=", f.sourcePorts()))
                    .append(list(" dports=", f.destinationPorts())).append(list(" dsts=", f.destinations()))
                    .append(list(" match=", f.byteMatches())).append('\n');
        }
        out.append("streams:").append(spec.streams().isEmpty() ? " (none)" : "").append('\n');
        for (StreamPlan s : spec.streams().values()) {
            out.append("  ").append(s.stream()).append("  maglev M=").append(Primes.largestAtMost(s.maglev().requestedM()))
                    .append(" (requested ").append(s.maglev().requestedM()).append(") N=").append(s.maglev().n())
                    .append(" active=").append(s.slots().size()).append('\n');
            for (var slot : s.slots()) {
                out.append("    slot ").append(slot._1).append(" fwmark ").append(slot._2);
                for (TargetPath path : s.paths().filter(p -> p.fwmark() == slot._2)) {
                    out.append("  ").append(path.family().label()).append(" rule ").append(path.rulePriority())
                            .append(" table ").append(path.table()).append(" via ").append(path.via()).append(" dev ")
                            .append(path.device());
                }
                out.append('\n');
            }
        }
        out.append("egress rules:").append(spec.egressRules().isEmpty() ? " (none)" : "").append('\n');
        spec.egressRules().forEach(rule -> out.append("  pref ").append(rule.priority()).append(" from ")
                .append(rule.vip()).append(" lookup ").append(rule.table()).append('\n'));
        out.append("gateway routes:").append(spec.gatewayRoutes().isEmpty() ? " (none)" : "").append('\n');
        spec.gatewayRoutes().values().forEach(route -> out.append("  ").append(route.family().label())
                .append(" table ").append(route.table()).append(" default")
                .append(route.nexthops().map(hop -> " via " + hop.via() + " dev " + hop.device()).mkString())
                .append('\n'));
        out.append("announced: ").append(spec.announcements().isEmpty() ? "(none)" : spec.announcements().mkString(", "))
                .append('\n');
        return out.toString();
    }

    private static String elements(DataplaneSpec spec, Family family) {
        var elements = spec.vipElements().filter(vip -> vip.family() == family);
        return elements.isEmpty() ? "(empty)" : elements.mkString(", ");
    }

    private static String list(String label, Traversable<?> values) {
        return values.isEmpty() ? "" : label + values.mkString(",");
    }
}
