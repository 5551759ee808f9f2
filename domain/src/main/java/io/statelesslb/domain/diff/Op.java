package io.statelesslb.domain.diff;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.EngineOptions;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.GatewaySpec;
import io.statelesslb.domain.plan.MaglevSpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.PortNatSpec;
import io.statelesslb.domain.plan.Queueing;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.plan.StreamPlan;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import io.vavr.control.Option;

/**
 * One change to the dataplane, as {@link Diff} emits it and a backend applies it. Each op says what it does in three
 * ways: {@link #describe()} gives the command an operator would type for it; {@link #effect} gives its meaning on a
 * model of the dataplane; and a backend's {@link Visitor} carries it out. Adding an op fails to compile until every
 * visitor handles it.
 *
 * <p>Ops are idempotent, as a level-triggered reconcile needs: adding what is there already, or removing what is
 * not, is done and changes nothing. An op is refused only where safety demands it: no active slot whose packets
 * would have no path, no path taken away from an active slot, no flow without its stream's table, no table deleted
 * while a flow uses it.
 */
public sealed interface Op {

    /** @return the equivalent {@code nft}, {@code ip} or {@code nfqlb} command, for logs and replay */
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
        R installTables(InstallTables op);

        R removeTables(RemoveTables op);

        R setEngineOptions(SetEngineOptions op);

        R configureMaglev(ConfigureMaglev op);

        R deleteMaglev(DeleteMaglev op);

        R activateSlot(ActivateSlot op);

        R deactivateSlot(DeactivateSlot op);

        R putFlow(PutFlow op);

        R removeFlow(RemoveFlow op);

        R addDefragExemption(AddDefragExemption op);

        R removeDefragExemption(RemoveDefragExemption op);

        R addPortNat(AddPortNat op);

        R removePortNat(RemovePortNat op);

        R addVipElement(AddVipElement op);

        R removeVipElement(RemoveVipElement op);

        R addRule(AddRule op);

        R removeRule(RemoveRule op);

        R setRoute(SetRoute op);

        R removeRoute(RemoveRoute op);

        R putGateway(PutGateway op);

        R removeGateway(RemoveGateway op);
    }

    /**
     * Install the load balancer's nf_tables tables, or make them whole again: the sets, the chains and their fixed
     * rules, queueing as asked. What the sets and the exemptions chain hold is kept.
     */
    record InstallTables(Queueing queueing) implements Op {
        @Override
        public String describe() {
            return "nft -f: tables inet meridio-nfqlb (" + queueing.statement() + "), meridio-nat, meridio-defrag";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withQueueing(Option.some(queueing)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.installTables(this);
        }
    }

    /** Delete the load balancer's nf_tables tables with everything in them: VIP traffic is queued no more. */
    record RemoveTables() implements Op {
        @Override
        public String describe() {
            return "nft delete table inet meridio-nfqlb; nft delete table inet meridio-nat;"
                    + " nft delete table inet meridio-defrag";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withQueueing(Option.none()).withVipElements(TreeSet.empty())
                    .withDefragExemptions(TreeSet.empty()).withPortNats(TreeSet.empty()));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeTables(this);
        }
    }

    /** Read the queues and decide as the options say (nfqlb: its command-line options). */
    record SetEngineOptions(EngineOptions options) implements Op {
        @Override
        public String describe() {
            return "nfqlb options: --qlength=" + options.queueLength() + (options.failOpen() ? " --fail-open" : "")
                    + (options.promiscuousPing() ? " --promiscuous_ping" : "") + " --nolb_fwmark="
                    + Integer.toUnsignedString(options.noLbFwmark()) + " --notargets_fwmark="
                    + Integer.toUnsignedString(options.noTargetsFwmark()) + " --sctp_encap="
                    + options.udpEncapsulationPort()
                    + options.tier().map(tier -> " --lbshm=tier --ownfw=" + tier.ownFwmark()).getOrElse("");
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withEngine(options));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setEngineOptions(this);
        }
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
                return Either.right(spec);
            }
            if (held.exists(plan -> !plan.slots().isEmpty())) {
                return Either.left("stream " + stream + " still has active slots (deactivate them first)");
            }
            return Either.right(spec.withStreams(spec.streams().put(stream, StreamPlan.empty(stream, maglev))));
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
            var held = spec.streams().get(stream);
            if (held.isEmpty()) {
                return Either.right(spec);
            }
            if (!held.get().slots().isEmpty()) {
                return Either.left("stream " + stream + " still has active slots (deactivate them first)");
            }
            if (spec.flows().values().exists(flow -> flow.stream().equals(stream))) {
                return Either.left("stream " + stream + " is still used by a flow");
            }
            return Either.right(spec.withStreams(spec.streams().remove(stream)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.deleteMaglev(this);
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
            var held = spec.streams().get(stream);
            if (held.isEmpty()) {
                return Either.left("stream " + stream + " has no Maglev table");
            }
            StreamPlan plan = held.get();
            if (slot < 0 || slot >= plan.maglev().n()) {
                return Either.left("slot " + slot + " is outside 0.." + (plan.maglev().n() - 1));
            }
            if (plan.slots().get(slot).contains(fwmark)) {
                return Either.right(spec);
            }
            if (plan.slots().containsKey(slot)) {
                return Either.left("slot " + slot + " is active with fwmark " + plan.slots().get(slot).get()
                        + " (deactivate it first)");
            }
            if (!spec.hasPath(fwmark)) {
                return Either.left("fwmark " + fwmark + " has no rule and route: packets would be steered nowhere");
            }
            return Either.right(put(spec, plan.withSlots(plan.slots().put(slot, fwmark))));
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
            var held = spec.streams().get(stream).filter(plan -> plan.slots().get(slot).contains(fwmark));
            return Either.right(held.isEmpty() ? spec
                    : put(spec, held.get().withSlots(held.get().slots().remove(slot))));
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
            return Either.right(spec.withFlows(spec.flows().remove(name)));
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
            return spec.queueing().isEmpty() ? Either.left(NO_TABLES)
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
            return Either.right(spec.withDefragExemptions(spec.defragExemptions().remove(interfacePattern)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeDefragExemption(this);
        }
    }

    /**
     * Translate a VIP's port towards a conduit's targets, and back in their replies: two rules of
     * {@code meridio-nat}.
     */
    record AddPortNat(PortNatSpec nat) implements Op {
        @Override
        public String describe() {
            return "nft add rule inet meridio-nat port-nat-out " + nat.toTargets() + "; nft add rule inet meridio-nat"
                    + " port-nat-in " + nat.fromTargets();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return spec.queueing().isEmpty() ? Either.left(NO_TABLES)
                    : Either.right(spec.withPortNats(spec.portNats().add(nat)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addPortNat(this);
        }
    }

    /** Stop translating a VIP's port towards a conduit's targets. */
    record RemovePortNat(PortNatSpec nat) implements Op {
        @Override
        public String describe() {
            return "nft delete rule inet meridio-nat port-nat-out " + nat.toTargets() + "; nft delete rule inet"
                    + " meridio-nat port-nat-in " + nat.fromTargets();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withPortNats(spec.portNats().remove(nat)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removePortNat(this);
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
            return spec.queueing().isEmpty() ? Either.left(NO_TABLES)
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
            return Either.right(spec.withVipElements(spec.vipElements().remove(vip)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeVipElement(this);
        }
    }

    /** Add a policy rule: a target's fwmark rule, or a VIP's replies to the gateways. */
    record AddRule(PolicyRule rule) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(rule.family()) + "rule add " + rule.arguments();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withRules(spec.rules().add(rule)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.addRule(this);
        }
    }

    /** Remove a policy rule; an active slot keeps at least one rule of its fwmark in each family it has. */
    record RemoveRule(PolicyRule rule) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(rule.family()) + "rule del " + rule.arguments();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            if (!spec.rules().contains(rule)) {
                return Either.right(spec);
            }
            DataplaneSpec after = spec.withRules(spec.rules().remove(rule));
            boolean lastOfItsFamily = rule.byFwmark() && !after.rules()
                    .exists(other -> other.fwmark() == rule.fwmark() && other.family() == rule.family());
            if (lastOfItsFamily && active(spec, rule.fwmark())) {
                return Either.left("fwmark " + rule.fwmark() + " is still active (deactivate its slot first)");
            }
            return Either.right(after);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeRule(this);
        }
    }

    /** Add or replace the default route of a table the load balancer owns (atomic: no moment without a route). */
    record SetRoute(RoutingTable table, SortedSet<Nexthop> nexthops) implements Op {
        public SetRoute {
            if (nexthops.isEmpty()) {
                throw new IllegalArgumentException(table + ": a route needs at least one next hop");
            }
        }

        @Override
        public String describe() {
            String hops = nexthops.size() == 1
                    ? " via " + nexthops.head().via() + " dev " + nexthops.head().device()
                    : nexthops.map(hop -> " nexthop via " + hop.via() + " dev " + hop.device()).mkString();
            return "ip " + flag(table.family()) + "route replace default" + hops + " table " + table.number();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withRoutes(spec.routes().put(table, nexthops)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setRoute(this);
        }
    }

    /** Remove the default route of a table; no active slot's rule leads there. */
    record RemoveRoute(RoutingTable table) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(table.family()) + "route del default table " + table.number();
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            if (!spec.routes().containsKey(table)) {
                return Either.right(spec);
            }
            var leading = spec.rules().find(rule -> rule.byFwmark() && rule.family() == table.family()
                    && rule.table() == table.number() && active(spec, rule.fwmark()));
            if (leading.isDefined()) {
                return Either.left("fwmark " + leading.get().fwmark() + " is still active and looks up "
                        + table.number() + " (deactivate its slot first)");
            }
            return Either.right(spec.withRoutes(spec.routes().remove(table)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeRoute(this);
        }
    }

    /**
     * Run a gateway's session in the routing daemon, or change it, announcing exactly {@code gateway.announced()}
     * over it (BIRD: {@code protocol bgp} or {@code protocol static}, and the session's export filter).
     */
    record PutGateway(GatewaySpec gateway) implements Op {
        @Override
        public String describe() {
            return "gateway " + gateway.name() + " (" + gateway.gateway().protocol().label() + " "
                    + gateway.gateway().address() + "): announce "
                    + (gateway.announced().isEmpty() ? "nothing" : gateway.announced().mkString(", "));
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withGateways(spec.gateways().put(gateway.name(), gateway)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.putGateway(this);
        }
    }

    /** Stop a gateway's session: whatever was announced over it is withdrawn. */
    record RemoveGateway(String name) implements Op {
        @Override
        public String describe() {
            return "gateway " + name + ": stop the session (withdraw everything)";
        }

        @Override
        public Either<String, DataplaneSpec> effect(DataplaneSpec spec) {
            return Either.right(spec.withGateways(spec.gateways().remove(name)));
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.removeGateway(this);
        }
    }

    /** Why an element or an exemption cannot be added: there is no table to hold it. */
    String NO_TABLES = "the load balancer's nf_tables tables are not installed (install them first)";

    private static DataplaneSpec put(DataplaneSpec spec, StreamPlan plan) {
        return spec.withStreams(spec.streams().put(plan.stream(), plan));
    }

    /** @return whether a slot of any stream is active with {@code fwmark} */
    private static boolean active(DataplaneSpec spec, int fwmark) {
        return spec.streams().values().exists(plan -> plan.slots().values().contains(fwmark));
    }

    private static String flag(Family family) {
        return family == Family.IPV6 ? "-6 " : "";
    }

    private static String setName(Cidr vip) {
        return vip.family() == Family.IPV6 ? "ipv6-vips" : "ipv4-vips";
    }
}
