package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.EgressRule;
import io.statelesslb.domain.plan.GatewayRoute;
import io.statelesslb.domain.plan.TargetPath;
import io.statelesslb.nfqueue.nftables.Expression;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.nftables.Rule;
import io.statelesslb.nfqueue.nftables.SetElements;
import io.statelesslb.nfqueue.route.FibRule;
import io.statelesslb.nfqueue.route.Route;
import io.statelesslb.nfqueue.route.Rtnetlink;
import java.util.ArrayList;
import java.util.List;

/**
 * Each op carried out on the kernel's objects: policy routing over rtnetlink, VIP set elements and defragmentation
 * exemptions over nf_tables. Maglev tables, slots and flows live in the engine, which the dataplane reconfigures
 * after every apply; announcements are the routing daemon's. A refusal is a {@code NetlinkException} with the
 * kernel's words.
 */
final class KernelOps implements Op.Visitor<Void> {

    private final Rtnetlink route;
    private final NfTables nft;
    private final DataplaneSpec next;

    /** @param next what the dataplane holds once the op has taken effect */
    KernelOps(Rtnetlink route, NfTables nft, DataplaneSpec next) {
        this.route = route;
        this.nft = nft;
        this.next = next;
    }

    /** {@code ip route add default via V dev D table T; ip rule add pref P fwmark M lookup T}. */
    @Override
    public Void addTargetPath(Op.AddTargetPath op) {
        TargetPath path = op.path();
        route.addRoute(Route.defaultRoute(path.family(), path.table(),
                List.of(new Route.Nexthop(path.via(), route.interfaceIndex(path.device())))));
        route.addRule(new FibRule(path.family(), path.rulePriority(), path.fwmark(), null, path.table()));
        return null;
    }

    /** {@code ip rule del pref P fwmark M lookup T; ip route del default table T}. */
    @Override
    public Void removeTargetPath(Op.RemoveTargetPath op) {
        TargetPath path = op.path();
        route.deleteRule(new FibRule(path.family(), path.rulePriority(), path.fwmark(), null, path.table()));
        route.deleteDefaultRoute(path.family(), path.table());
        return null;
    }

    /** {@code nft add element inet meridio-nfqlb ipv4-vips { VIP }}. */
    @Override
    public Void addVipElement(Op.AddVipElement op) {
        nft.batch().addElements(vipElements(op.vip())).commit();
        return null;
    }

    /** {@code nft delete element inet meridio-nfqlb ipv4-vips { VIP }}. */
    @Override
    public Void removeVipElement(Op.RemoveVipElement op) {
        nft.batch().deleteElements(vipElements(op.vip())).commit();
        return null;
    }

    /** {@code ip rule add pref 100 from VIP lookup 4096}. */
    @Override
    public Void addEgressRule(Op.AddEgressRule op) {
        route.addRule(egress(op.rule()));
        return null;
    }

    /** {@code ip rule del pref 100 from VIP lookup 4096}. */
    @Override
    public Void removeEgressRule(Op.RemoveEgressRule op) {
        route.deleteRule(egress(op.rule()));
        return null;
    }

    /** {@code ip route replace default table 4096 nexthop via G dev D ...}. */
    @Override
    public Void setGatewayRoute(Op.SetGatewayRoute op) {
        GatewayRoute gateways = op.route();
        List<Route.Nexthop> hops = new ArrayList<>();
        gateways.nexthops().forEach(hop -> hops.add(new Route.Nexthop(hop.via(), route.interfaceIndex(hop.device()))));
        route.replaceRoute(Route.defaultRoute(gateways.family(), gateways.table(), hops));
        return null;
    }

    /** {@code ip route del default table 4096}. */
    @Override
    public Void removeGatewayRoute(Op.RemoveGatewayRoute op) {
        route.deleteDefaultRoute(op.family(), op.table());
        return null;
    }

    @Override
    public Void addDefragExemption(Op.AddDefragExemption op) {
        return rewriteDefragExemptions();
    }

    @Override
    public Void removeDefragExemption(Op.RemoveDefragExemption op) {
        return rewriteDefragExemptions();
    }

    /**
     * {@code nft flush chain inet meridio-defrag pre-defrag; nft add rule ... iifname "P*" notrack} for each
     * exemption that remains: rules have no names to delete by, so the chain is rewritten in one transaction.
     */
    private Void rewriteDefragExemptions() {
        NfTables.Batch batch = nft.batch().flushChain(KernelDataplane.DEFRAG, KernelDataplane.PRE_DEFRAG);
        next.defragExemptions().forEach(pattern -> batch.addRule(new Rule(KernelDataplane.DEFRAG,
                KernelDataplane.PRE_DEFRAG, List.of(
                        new Expression.Meta(Expression.Meta.IIFNAME),
                        Expression.Cmp.interfacePrefix(pattern.endsWith("*")
                                ? pattern.substring(0, pattern.length() - 1) : pattern + "\0"),
                        new Expression.Notrack()))));
        batch.commit();
        return null;
    }

    // The engine's part: the dataplane reconfigures its NFQUEUE workers from what is applied after every apply.

    @Override
    public Void configureMaglev(Op.ConfigureMaglev op) {
        return null;
    }

    @Override
    public Void deleteMaglev(Op.DeleteMaglev op) {
        return null;
    }

    @Override
    public Void activateSlot(Op.ActivateSlot op) {
        return null;
    }

    @Override
    public Void deactivateSlot(Op.DeactivateSlot op) {
        return null;
    }

    @Override
    public Void putFlow(Op.PutFlow op) {
        return null;
    }

    @Override
    public Void removeFlow(Op.RemoveFlow op) {
        return null;
    }

    // The routing daemon's part (BIRD): announcements are kept in what is applied only.

    @Override
    public Void announceVip(Op.AnnounceVip op) {
        return null;
    }

    @Override
    public Void withdrawVip(Op.WithdrawVip op) {
        return null;
    }

    private static SetElements vipElements(Cidr vip) {
        return new SetElements(KernelDataplane.NFQLB, vip.family() == Family.IPV4 ? KernelDataplane.IPV4_VIPS
                : KernelDataplane.IPV6_VIPS, List.of(vip));
    }

    private static FibRule egress(EgressRule rule) {
        return new FibRule(rule.vip().family(), rule.priority(), 0, rule.vip(), rule.table());
    }
}
