package io.statelesslb.domain.diff;

import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import io.vavr.collection.SortedMap;
import io.vavr.control.Either;
import io.vavr.control.Option;

/**
 * Applies operations to a {@link DataplaneSpec} taken as a model of the dataplane, refusing each one whose
 * precondition does not hold, as the kernel would (adding what exists, removing what does not) and as the
 * safety rules demand (no active slot without a path, no flow without its stream). The simulator builds on it;
 * the tests use it to check that {@code apply(diff(a, b), a) == b} and that every intermediate step is safe.
 */
public final class Apply {

    private Apply() {
    }

    /**
     * @param spec the dataplane before
     * @param ops  to apply, in order
     * @return the dataplane after every op, or the first refusal naming the op's position and the reason
     */
    public static Either<String, DataplaneSpec> applyAll(DataplaneSpec spec, Iterable<Op> ops) {
        DataplaneSpec current = spec;
        int index = 0;
        for (Op op : ops) {
            Either<String, DataplaneSpec> next = apply(current, op);
            if (next.isLeft()) {
                return Either.left("op #" + index + " (" + op.describe() + "): " + next.getLeft());
            }
            current = next.get();
            index++;
        }
        return Either.right(current);
    }

    /**
     * @param spec the dataplane before
     * @param op   to apply
     * @return the dataplane after {@code op}, or why it was refused
     */
    public static Either<String, DataplaneSpec> apply(DataplaneSpec spec, Op op) {
        if (op instanceof Op.ConfigureMaglev o) {
            Option<StreamPlan> held = spec.streams().get(o.stream());
            if (held.exists(plan -> plan.maglev().equals(o.maglev()))) {
                return Either.left("stream " + o.stream() + " already has this Maglev table");
            }
            if (held.exists(plan -> !plan.slots().isEmpty() || !plan.paths().isEmpty())) {
                return Either.left("stream " + o.stream() + " still has active slots or paths");
            }
            return Either.right(spec.withStreams(spec.streams().put(o.stream(), StreamPlan.empty(o.stream(), o.maglev()))));
        } else if (op instanceof Op.DeleteMaglev o) {
            return stream(spec, o.stream()).flatMap(plan -> {
                if (!plan.slots().isEmpty() || !plan.paths().isEmpty()) {
                    return Either.left("stream " + o.stream() + " still has active slots or paths");
                }
                if (spec.flows().values().exists(flow -> flow.stream().equals(o.stream()))) {
                    return Either.left("stream " + o.stream() + " is still used by a flow");
                }
                return Either.right(spec.withStreams(spec.streams().remove(o.stream())));
            });
        } else if (op instanceof Op.AddTargetPath o) {
            return stream(spec, o.stream()).flatMap(plan -> {
                if (anyPath(spec, o.path())) {
                    return Either.left("a path for fwmark " + o.path().fwmark() + " in " + o.path().family().label()
                            + " exists (File exists)");
                }
                return Either.right(put(spec, plan.withPaths(plan.paths().add(o.path()))));
            });
        } else if (op instanceof Op.RemoveTargetPath o) {
            return stream(spec, o.stream()).flatMap(plan -> {
                if (!plan.paths().contains(o.path())) {
                    return Either.left("no such path (No such file or directory)");
                }
                if (plan.slots().values().contains(o.path().fwmark())) {
                    return Either.left("fwmark " + o.path().fwmark() + " is still active");
                }
                return Either.right(put(spec, plan.withPaths(plan.paths().remove(o.path()))));
            });
        } else if (op instanceof Op.ActivateSlot o) {
            return stream(spec, o.stream()).flatMap(plan -> {
                if (o.slot() < 0 || o.slot() >= plan.maglev().n()) {
                    return Either.left("slot " + o.slot() + " is outside 0.." + (plan.maglev().n() - 1));
                }
                if (plan.slots().containsKey(o.slot())) {
                    return Either.left("slot " + o.slot() + " is already active");
                }
                if (!plan.paths().exists(path -> path.fwmark() == o.fwmark())) {
                    return Either.left("fwmark " + o.fwmark() + " has no path: packets would be steered nowhere");
                }
                return Either.right(put(spec, plan.withSlots(plan.slots().put(o.slot(), o.fwmark()))));
            });
        } else if (op instanceof Op.DeactivateSlot o) {
            return stream(spec, o.stream()).flatMap(plan -> plan.slots().get(o.slot()).contains(o.fwmark())
                    ? Either.right(put(spec, plan.withSlots(plan.slots().remove(o.slot()))))
                    : Either.left("slot " + o.slot() + " is not active with fwmark " + o.fwmark()));
        } else if (op instanceof Op.PutFlow o) {
            return spec.streams().containsKey(o.flow().stream())
                    ? Either.right(spec.withFlows(spec.flows().put(o.flow().name(), o.flow())))
                    : Either.left("stream " + o.flow().stream() + " has no Maglev table");
        } else if (op instanceof Op.RemoveFlow o) {
            return spec.flows().containsKey(o.name())
                    ? Either.right(spec.withFlows(spec.flows().remove(o.name())))
                    : Either.left("no flow " + o.name());
        } else if (op instanceof Op.AddDefragExemption o) {
            return spec.defragExemptions().contains(o.interfacePattern())
                    ? Either.left("exemption for " + o.interfacePattern() + " exists")
                    : Either.right(spec.withDefragExemptions(spec.defragExemptions().add(o.interfacePattern())));
        } else if (op instanceof Op.RemoveDefragExemption o) {
            return spec.defragExemptions().contains(o.interfacePattern())
                    ? Either.right(spec.withDefragExemptions(spec.defragExemptions().remove(o.interfacePattern())))
                    : Either.left("no exemption for " + o.interfacePattern());
        } else if (op instanceof Op.AddVipElement o) {
            return spec.vipElements().contains(o.vip())
                    ? Either.left("element " + o.vip() + " exists")
                    : Either.right(spec.withVipElements(spec.vipElements().add(o.vip())));
        } else if (op instanceof Op.RemoveVipElement o) {
            return spec.vipElements().contains(o.vip())
                    ? Either.right(spec.withVipElements(spec.vipElements().remove(o.vip())))
                    : Either.left("no element " + o.vip());
        } else if (op instanceof Op.AddEgressRule o) {
            return spec.egressRules().contains(o.rule())
                    ? Either.left("rule exists (File exists)")
                    : Either.right(spec.withEgressRules(spec.egressRules().add(o.rule())));
        } else if (op instanceof Op.RemoveEgressRule o) {
            return spec.egressRules().contains(o.rule())
                    ? Either.right(spec.withEgressRules(spec.egressRules().remove(o.rule())))
                    : Either.left("no such rule (No such file or directory)");
        } else if (op instanceof Op.SetGatewayRoute o) {
            return Either.right(spec.withGatewayRoutes(spec.gatewayRoutes().put(o.route().family(), o.route())));
        } else if (op instanceof Op.RemoveGatewayRoute o) {
            return spec.gatewayRoutes().containsKey(o.family())
                    ? Either.right(spec.withGatewayRoutes(spec.gatewayRoutes().remove(o.family())))
                    : Either.left("no default route in table " + o.table());
        } else if (op instanceof Op.AnnounceVip o) {
            return spec.announcements().contains(o.vip())
                    ? Either.left(o.vip() + " is already announced")
                    : Either.right(spec.withAnnouncements(spec.announcements().add(o.vip())));
        }
        Op.WithdrawVip o = (Op.WithdrawVip) op;
        return spec.announcements().contains(o.vip())
                ? Either.right(spec.withAnnouncements(spec.announcements().remove(o.vip())))
                : Either.left(o.vip() + " is not announced");
    }

    private static Either<String, StreamPlan> stream(DataplaneSpec spec, String name) {
        return spec.streams().get(name).toEither(() -> "stream " + name + " has no Maglev table");
    }

    private static boolean anyPath(DataplaneSpec spec, TargetPath path) {
        return spec.streams().values().exists(plan -> plan.paths().exists(
                held -> held.family() == path.family() && held.fwmark() == path.fwmark()));
    }

    private static DataplaneSpec put(DataplaneSpec spec, StreamPlan plan) {
        SortedMap<String, StreamPlan> streams = spec.streams().put(plan.stream(), plan);
        return spec.withStreams(streams);
    }
}
