package io.statelesslb.domain.state;

import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;

/** The fold of target registration, unregistration, enabling and disabling. */
final class TargetFold {

    private TargetFold() {
    }

    static Outcome fold(State state, TargetEvent event) {
        Problems problems = new Problems();
        Fold.requireTrench(problems, state);
        if (event.stream() == null || event.stream().isEmpty()) {
            problems.add(ProblemKind.MISSING, "stream", "stream is required (expected: a defined stream)");
        } else {
            ConfigurationFold.known(problems, "stream", "stream", event.stream(), state.streams());
        }
        if (event instanceof TargetRegistered registered) {
            return registered(state, registered, problems);
        }
        Option<Target> held = state.target(event.stream(), event.identifier());
        if (held.isEmpty() && !problems.any()) {
            problems.add(ProblemKind.UNKNOWN_REFERENCE, "identifier", "identifier=" + event.identifier()
                    + " (expected: a registered target of stream " + event.stream() + ": "
                    + describe(state.targetsOf(event.stream()).keySet()) + ")");
        }
        if (problems.any()) {
            return problems.rejected();
        }
        Target target = held.get();
        if (event instanceof TargetUnregistered) {
            return problems.outcome(state.withoutTarget(target));
        }
        Target changed = target.withEnabled(event instanceof TargetEnabled);
        return problems.outcome(changed == target ? state : state.withTarget(changed));
    }

    private static Outcome registered(State state, TargetRegistered e, Problems problems) {
        Option<Stream> stream = state.streams().get(e.stream());
        stream.forEach(s -> problems.range("identifier", e.identifier(), 1, s.maxTargets(),
                " for stream " + s.name()));
        if (e.ips().isEmpty()) {
            problems.add(ProblemKind.MISSING, "ips", "ips=[] (expected: one IPv4 and/or one IPv6 address)");
        }
        IpAddress[] parsed = problems.parseEach("ips", e.ips(), IpAddress::parse).toJavaArray(IpAddress[]::new);
        SortedSet<IpAddress> ips = TreeSet.of(parsed);
        if (ips.map(IpAddress::family).size() != parsed.length) {
            problems.add(ProblemKind.INCONSISTENT, "ips", "ips=" + e.ips()
                    + " (expected: at most one address per family)");
        }
        Option<Target> held = state.target(e.stream(), e.identifier());
        if (held.isDefined() && held.get().ips().equals(ips)) {
            // Registering again with the same addresses is a no-op, so retries are safe.
            return problems.outcome(state);
        }
        held.forEach(other -> problems.add(ProblemKind.CONFLICT, "identifier", "identifier=" + e.identifier()
                + " (expected: a free identifier; stream " + e.stream() + " gives it to target "
                + other.ips().mkString(",") + ")"));
        for (IpAddress wanted : parsed) {
            state.addressOwners().get(new TargetAddress(e.stream(), wanted)).forEach(owner -> problems.add(
                    ProblemKind.CONFLICT, "ips", "ip=" + wanted + " (expected: an address no other target of"
                            + " stream " + e.stream() + " holds; identifier " + owner + " holds it)"));
        }
        if (problems.any()) {
            return problems.rejected();
        }
        int fwmark = e.identifier() + state.fwmarkOffsets().get(e.stream()).get();
        int priority = RulePriorities.allocate(state.rulePriorities(), fwmark);
        if (priority < 0) {
            problems.add(ProblemKind.OUT_OF_RANGE, "identifier", "identifier=" + e.identifier() + " (expected: a"
                    + " fwmark of at most " + (FwmarkRanges.FIRST_OFFSET + RulePriorities.MAIN_TABLE_RULE
                    - RulePriorities.EGRESS - 1) + " once rule priorities 1..99 are taken; it has " + fwmark + ")");
            return problems.rejected();
        }
        return problems.outcome(state.withTarget(new Target(e.stream(), e.identifier(), ips, true, priority)));
    }

    private static String describe(SortedSet<Integer> identifiers) {
        return identifiers.isEmpty() ? "none is registered" : identifiers.mkString(", ");
    }
}
