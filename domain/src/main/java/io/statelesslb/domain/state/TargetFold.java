package io.statelesslb.domain.state;

import io.statelesslb.domain.event.TargetDisabled;
import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.domain.event.TargetEvent;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.List;
import io.vavr.collection.SortedMap;
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
            return problems.outcome(withoutTarget(state, target));
        }
        Target changed = target.withEnabled(event instanceof TargetEnabled);
        return problems.outcome(changed == target ? state : withTarget(state, changed, state.rulePriorities()));
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
        // Lookups in each target's one or two addresses, no iteration: this runs for every registration and
        // streams hold up to 1000 targets.
        for (var entry : state.targetsOf(e.stream())) {
            Target other = entry._2;
            for (IpAddress wanted : parsed) {
                if (other.ips().contains(wanted)) {
                    problems.add(ProblemKind.CONFLICT, "ips", "ip=" + wanted + " (expected: an address no other"
                            + " target of stream " + e.stream() + " holds; identifier " + other.identifier()
                            + " holds it)");
                }
            }
        }
        int priority = RulePriorities.allocate(state.rulePriorities());
        if (priority < 0) {
            problems.add(ProblemKind.OUT_OF_RANGE, "identifier", "no free ip rule priority left for target "
                    + e.identifier() + " (expected: fewer than " + state.rulePriorities().size() + " targets)");
        }
        if (problems.any()) {
            return problems.rejected();
        }
        Target target = new Target(e.stream(), e.identifier(), ips, true, priority);
        return problems.outcome(withTarget(state, target, state.rulePriorities().add(priority)));
    }

    private static State withTarget(State state, Target target, SortedSet<Integer> priorities) {
        SortedMap<Integer, Target> byId = state.targetsOf(target.stream()).put(target.identifier(), target);
        return state.withTargets(state.targets().put(target.stream(), byId), priorities);
    }

    private static State withoutTarget(State state, Target target) {
        SortedMap<Integer, Target> byId = state.targetsOf(target.stream()).remove(target.identifier());
        // No empty per-stream map is kept, so equal target sets always give equal states.
        SortedMap<String, SortedMap<Integer, Target>> targets = byId.isEmpty()
                ? state.targets().remove(target.stream())
                : state.targets().put(target.stream(), byId);
        return state.withTargets(targets, state.rulePriorities().remove(target.rulePriority()));
    }

    private static String describe(SortedSet<Integer> identifiers) {
        return identifiers.isEmpty() ? "none is registered" : identifiers.mkString(", ");
    }

}
