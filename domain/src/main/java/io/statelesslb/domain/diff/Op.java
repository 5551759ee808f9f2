package io.statelesslb.domain.diff;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.EgressRule;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.MaglevSpec;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.domain.plan.TargetPath;
import io.vavr.control.Either;

/**
 * One change to the dataplane, as {@link Diff} emits it and a backend applies it. Each op says what it does in three
 * ways: {@link #describe()} gives the commands an operator would type for it; {@link #effect} gives its meaning on a
 * model of the dataplane, refusing it where the kernel would (adding what exists, removing what is absent) and
 * where safety demands (no active slot without a path, no flow without its stream); and a backend's
 * {@link Visitor} carries it out. Adding an op fails to compile until every visitor handles it.
 */
public sealed interface Op {

    /** @return the equivalent {@code nft}, {@code ip} or {@code nfqlb} commands, for logs and replay */
    String describe();

    /**
     * @param before the dataplane before the op
     * @return the dataplane after it, or why it is refused (the dataplane stays as it was)
     */
    Either<String, DataplaneSpec> effect(DataplaneSpec before);

    /** @return what {@code visitor} makes of this op */
    <R> R accept(Visitor<R> visitor);

    /**
     * @param spec the dataplane before
     * @param ops  to take effect, in order
     * @return the dataplane after every op, or the first refusal naming the op's position and the reason
     */
    static Either<String, DataplaneSpec> effectOfAll(DataplaneSpec spec, Iterable<Op> ops) {
        DataplaneSpec current = spec;
        int index = 0;
        for (Op op : ops) {
            Either<String, DataplaneSpec> next = op.effect(current);
            if (next.isLeft()) {
                return Either.left("op #" + index + " (" + op.describe() + "): " + next.getLeft());
            }
            current = next.get();
            index++;
        }
        return Either.right(current);
    }

    /** Does something with each kind of op; the compiler checks that every kind is handled. */
    interface Visitor<R> {
        R configureMaglev(ConfigureMaglev op);

        R deleteMaglev(DeleteMaglev op);

        R addTargetPath(AddTargetPath op);

        R removeTargetPath(RemoveTargetPath op);

        R activateSlot(ActivateSlot op);

        R deactivateSlot(DeactivateSlot op);

        R putFlow(PutFlow op);

        R removeFlow(RemoveFlow op);

        R addDefragExemption(AddDefragExemption op);

        R removeDefragExemption(RemoveDefragExemption op);

        R addVipElement(AddVipElement op);

        R removeVipElement(RemoveVipElement op);

        R addEgressRule(AddEgressRule op);

        R removeEgressRule(RemoveEgressRule op);

        R setGatewayRoute(SetGatewayRoute op);

        R removeGatewayRoute(RemoveGatewayRoute op);

        R announceVip(AnnounceVip op);

        R withdrawVip(WithdrawVip op);
    }

    /** Create or reshape a stream's Maglev table (nfqlb: {@code nfqlb init --shm=STREAM --M=M --N=N}). */
    record ConfigureMaglev(String stream, MaglevSpec maglev) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": configure M=" + maglev.requestedM() + " N=" + maglev.n();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            var held = spec.streams().get(stream);
            if (held.exists(plan -> plan.maglev().equals(maglev))) {
                return Either.left("stream " + stream + " already has this Maglev table");
            }
            if (held.exists(plan -> !plan.slots().isEmpty() || !plan.paths().isEmpty())) {
                return Either.left("stream " + stream + " still has active slots or paths");
            }
            return Either.right(Effects.put(spec, StreamPlan.empty(stream, maglev)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.configureMaglev(this);
        }
    }

    /** Remove a stream's Maglev table; it has no active slot and no flow uses it. */
    record DeleteMaglev(String stream) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": delete";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Effects.stream(spec, stream).flatMap(plan -> {
                if (!plan.slots().isEmpty() || !plan.paths().isEmpty()) {
                    return Either.left("stream " + stream + " still has active slots or paths");
                }
                if (spec.flows().values().exists(flow -> flow.stream().equals(stream))) {
                    return Either.left("stream " + stream + " is still used by a flow");
                }
                return Either.right(spec.withStreams(spec.streams().remove(stream)));
            });
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.deleteMaglev(this);
        }
    }

    /** Install a target's route, then its fwmark rule, in one family. */
    record AddTargetPath(String stream, TargetPath path) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(path.family()) + "route add default via " + path.via() + " dev " + path.device()
                    + " table " + path.table() + "; ip " + flag(path.family()) + "rule add pref "
                    + path.rulePriority() + " fwmark 0x" + Integer.toHexString(path.fwmark()) + " lookup "
                    + path.table();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Effects.stream(spec, stream).flatMap(plan -> {
                if (Effects.anyPath(spec, path)) {
                    return Either.left("a path for fwmark " + path.fwmark() + " in " + path.family().label()
                            + " exists (File exists)");
                }
                return Either.right(Effects.put(spec, plan.withPaths(plan.paths().add(path))));
            });
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addTargetPath(this);
        }
    }

    /** Remove a target's fwmark rule, then its route, in one family; its slot is no longer active. */
    record RemoveTargetPath(String stream, TargetPath path) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(path.family()) + "rule del pref " + path.rulePriority() + " fwmark 0x"
                    + Integer.toHexString(path.fwmark()) + " lookup " + path.table() + "; ip "
                    + flag(path.family()) + "route del default table " + path.table();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Effects.stream(spec, stream).flatMap(plan -> {
                if (!plan.paths().contains(path)) {
                    return Either.left("no such path (No such file or directory)");
                }
                if (plan.slots().values().contains(path.fwmark())) {
                    return Either.left("fwmark " + path.fwmark() + " is still active");
                }
                return Either.right(Effects.put(spec, plan.withPaths(plan.paths().remove(path))));
            });
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeTargetPath(this);
        }
    }

    /** Put a slot of a stream's Maglev table into service with its fwmark (nfqlb: {@code activate}). */
    record ActivateSlot(String stream, int slot, int fwmark) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": activate slot " + slot + " fwmark " + fwmark;
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Effects.stream(spec, stream).flatMap(plan -> {
                if (slot < 0 || slot >= plan.maglev().n()) {
                    return Either.left("slot " + slot + " is outside 0.." + (plan.maglev().n() - 1));
                }
                if (plan.slots().containsKey(slot)) {
                    return Either.left("slot " + slot + " is already active");
                }
                if (!plan.paths().exists(path -> path.fwmark() == fwmark)) {
                    return Either.left("fwmark " + fwmark + " has no path: packets would be steered nowhere");
                }
                return Either.right(Effects.put(spec, plan.withSlots(plan.slots().put(slot, fwmark))));
            });
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.activateSlot(this);
        }
    }

    /** Take a slot of a stream's Maglev table out of service (nfqlb: {@code deactivate}). */
    record DeactivateSlot(String stream, int slot, int fwmark) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": deactivate slot " + slot + " fwmark " + fwmark;
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Effects.stream(spec, stream).flatMap(plan -> plan.slots().get(slot).contains(fwmark)
                    ? Either.right(Effects.put(spec, plan.withSlots(plan.slots().remove(slot))))
                    : Either.left("slot " + slot + " is not active with fwmark " + fwmark));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.deactivateSlot(this);
        }
    }

    /** Define or replace a flow (nfqlb: {@code flow-set}). */
    record PutFlow(FlowSpec flow) implements Op {
        @Override
        public String describe() {
            return "flow " + flow.name() + ": set stream=" + flow.stream() + " priority=" + flow.priority()
                    + " protocols=" + flow.protocols().map(p -> p.label()).mkString(",")
                    + " dsts=" + flow.destinations().mkString(",")
                    + " dports=" + flow.destinationPorts().mkString(",");
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.streams().containsKey(flow.stream())
                    ? Either.right(spec.withFlows(spec.flows().put(flow.name(), flow)))
                    : Either.left("stream " + flow.stream() + " has no Maglev table");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.putFlow(this);
        }
    }

    /** Remove a flow (nfqlb: {@code flow-delete}). */
    record RemoveFlow(String name) implements Op {
        @Override
        public String describe() {
            return "flow " + name + ": delete";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.flows().containsKey(name)
                    ? Either.right(spec.withFlows(spec.flows().remove(name)))
                    : Either.left("no flow " + name);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeFlow(this);
        }
    }

    /** Exempt a conduit's interfaces from defragmentation: packets from targets are not tracked. */
    record AddDefragExemption(String interfacePattern) implements Op {
        @Override
        public String describe() {
            return "nft add rule inet meridio-defrag pre-defrag iifname \"" + interfacePattern + "\" notrack";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.defragExemptions().contains(interfacePattern)
                    ? Either.left("exemption for " + interfacePattern + " exists")
                    : Either.right(spec.withDefragExemptions(spec.defragExemptions().add(interfacePattern)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addDefragExemption(this);
        }
    }

    /** Remove a conduit's exemption from defragmentation. */
    record RemoveDefragExemption(String interfacePattern) implements Op {
        @Override
        public String describe() {
            return "nft delete rule inet meridio-defrag pre-defrag iifname \"" + interfacePattern + "\" notrack";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.defragExemptions().contains(interfacePattern)
                    ? Either.right(spec.withDefragExemptions(spec.defragExemptions().remove(interfacePattern)))
                    : Either.left("no exemption for " + interfacePattern);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeDefragExemption(this);
        }
    }

    /** Start queueing a VIP's traffic to the load balancer. */
    record AddVipElement(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "nft add element inet meridio-nfqlb " + setName(vip) + " { " + vip + " }";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.vipElements().contains(vip)
                    ? Either.left("element " + vip + " exists")
                    : Either.right(spec.withVipElements(spec.vipElements().add(vip)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addVipElement(this);
        }
    }

    /** Stop queueing a VIP's traffic. */
    record RemoveVipElement(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "nft delete element inet meridio-nfqlb " + setName(vip) + " { " + vip + " }";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.vipElements().contains(vip)
                    ? Either.right(spec.withVipElements(spec.vipElements().remove(vip)))
                    : Either.left("no element " + vip);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeVipElement(this);
        }
    }

    /** Send replies from a VIP to the gateway table. */
    record AddEgressRule(EgressRule rule) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(rule.vip().family()) + "rule add pref " + rule.priority() + " from " + rule.vip()
                    + " lookup " + rule.table();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.egressRules().contains(rule)
                    ? Either.left("rule exists (File exists)")
                    : Either.right(spec.withEgressRules(spec.egressRules().add(rule)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addEgressRule(this);
        }
    }

    /** Stop routing a VIP's replies through the gateway table. */
    record RemoveEgressRule(EgressRule rule) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(rule.vip().family()) + "rule del pref " + rule.priority() + " from " + rule.vip()
                    + " lookup " + rule.table();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.egressRules().contains(rule)
                    ? Either.right(spec.withEgressRules(spec.egressRules().remove(rule)))
                    : Either.left("no such rule (No such file or directory)");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeEgressRule(this);
        }
    }

    /** Install or replace the gateway table's default route in one family. */
    record SetGatewayRoute(GatewayRoute route) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(route.family()) + "route replace default table " + route.table()
                    + route.nexthops().map(hop -> " nexthop via " + hop.via() + " dev " + hop.device()).mkString();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withGatewayRoutes(spec.gatewayRoutes().put(route.family(), route)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setGatewayRoute(this);
        }
    }

    /** Remove the gateway table's default route in one family: no gateway is usable there. */
    record RemoveGatewayRoute(Family family, int table) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(family) + "route del default table " + table;
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.gatewayRoutes().containsKey(family)
                    ? Either.right(spec.withGatewayRoutes(spec.gatewayRoutes().remove(family)))
                    : Either.left("no default route in table " + table);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeGatewayRoute(this);
        }
    }

    /** Announce a VIP to the gateways (BIRD export). */
    record AnnounceVip(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "announce " + vip;
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.announcements().contains(vip)
                    ? Either.left(vip + " is already announced")
                    : Either.right(spec.withAnnouncements(spec.announcements().add(vip)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.announceVip(this);
        }
    }

    /** Withdraw a VIP from the gateways. */
    record WithdrawVip(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "withdraw " + vip;
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.announcements().contains(vip)
                    ? Either.right(spec.withAnnouncements(spec.announcements().remove(vip)))
                    : Either.left(vip + " is not announced");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.withdrawVip(this);
        }
    }

    private static String flag(Family family) {
        return family == Family.IPV6 ? "-6 " : "";
    }

    private static String setName(Cidr vip) {
        return vip.family() == Family.IPV6 ? "ipv6-vips" : "ipv4-vips";
    }
}
