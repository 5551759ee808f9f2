package io.statelesslb.domain.diff;

import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.EgressRule;
import io.statelesslb.domain.plan.FlowSpec;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.MaglevSpec;
import io.statelesslb.domain.plan.TargetPath;

/**
 * One change to the dataplane, as {@link Diff} emits it and a backend applies it. Each describes itself as the
 * commands an operator would type for the same change.
 */
public sealed interface Op {

    /** @return the equivalent {@code nft}, {@code ip} or {@code nfqlb} commands, for logs and replay */
    String describe();

    /** Create or reshape a stream's Maglev table (nfqlb: {@code nfqlb init --shm=STREAM --M=M --N=N}). */
    record ConfigureMaglev(String stream, MaglevSpec maglev) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": configure M=" + maglev.requestedM() + " N=" + maglev.n();
        }
    }

    /** Remove a stream's Maglev table; it has no active slot and no flow uses it. */
    record DeleteMaglev(String stream) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": delete";
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
    }

    /** Remove a target's fwmark rule, then its route, in one family; its slot is no longer active. */
    record RemoveTargetPath(String stream, TargetPath path) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(path.family()) + "rule del pref " + path.rulePriority() + " fwmark 0x"
                    + Integer.toHexString(path.fwmark()) + " lookup " + path.table() + "; ip "
                    + flag(path.family()) + "route del default table " + path.table();
        }
    }

    /** Put a slot of a stream's Maglev table into service with its fwmark (nfqlb: {@code activate}). */
    record ActivateSlot(String stream, int slot, int fwmark) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": activate slot " + slot + " fwmark " + fwmark;
        }
    }

    /** Take a slot of a stream's Maglev table out of service (nfqlb: {@code deactivate}). */
    record DeactivateSlot(String stream, int slot, int fwmark) implements Op {
        @Override
        public String describe() {
            return "maglev " + stream + ": deactivate slot " + slot + " fwmark " + fwmark;
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
    }

    /** Remove a flow (nfqlb: {@code flow-delete}). */
    record RemoveFlow(String name) implements Op {
        @Override
        public String describe() {
            return "flow " + name + ": delete";
        }
    }

    /** Exempt a conduit's interfaces from defragmentation: packets from targets are not tracked. */
    record AddDefragExemption(String interfacePattern) implements Op {
        @Override
        public String describe() {
            return "nft add rule inet meridio-defrag pre-defrag iifname \"" + interfacePattern + "\" notrack";
        }
    }

    /** Remove a conduit's exemption from defragmentation. */
    record RemoveDefragExemption(String interfacePattern) implements Op {
        @Override
        public String describe() {
            return "nft delete rule inet meridio-defrag pre-defrag iifname \"" + interfacePattern + "\" notrack";
        }
    }

    /** Start queueing a VIP's traffic to the load balancer. */
    record AddVipElement(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "nft add element inet meridio-nfqlb " + setName(vip) + " { " + vip + " }";
        }
    }

    /** Stop queueing a VIP's traffic. */
    record RemoveVipElement(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "nft delete element inet meridio-nfqlb " + setName(vip) + " { " + vip + " }";
        }
    }

    /** Send replies from a VIP to the gateway table. */
    record AddEgressRule(EgressRule rule) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(rule.vip().family()) + "rule add pref " + rule.priority() + " from " + rule.vip()
                    + " lookup " + rule.table();
        }
    }

    /** Stop routing a VIP's replies through the gateway table. */
    record RemoveEgressRule(EgressRule rule) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(rule.vip().family()) + "rule del pref " + rule.priority() + " from " + rule.vip()
                    + " lookup " + rule.table();
        }
    }

    /** Install or replace the gateway table's default route in one family. */
    record SetGatewayRoute(GatewayRoute route) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(route.family()) + "route replace default table " + route.table()
                    + route.nexthops().map(hop -> " nexthop via " + hop.via() + " dev " + hop.device()).mkString();
        }
    }

    /** Remove the gateway table's default route in one family: no gateway is usable there. */
    record RemoveGatewayRoute(Family family, int table) implements Op {
        @Override
        public String describe() {
            return "ip " + flag(family) + "route del default table " + table;
        }
    }

    /** Announce a VIP to the gateways (BIRD export). */
    record AnnounceVip(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "announce " + vip;
        }
    }

    /** Withdraw a VIP from the gateways. */
    record WithdrawVip(Cidr vip) implements Op {
        @Override
        public String describe() {
            return "withdraw " + vip;
        }
    }

    private static String flag(Family family) {
        return family == Family.IPV6 ? "-6 " : "";
    }

    private static String setName(Cidr vip) {
        return vip.family() == Family.IPV6 ? "ipv6-vips" : "ipv4-vips";
    }
}
