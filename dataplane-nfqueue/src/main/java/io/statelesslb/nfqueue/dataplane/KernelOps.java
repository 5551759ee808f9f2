package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.OwnTag;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.nfqueue.netlink.NetlinkException;
import io.statelesslb.nfqueue.nftables.NfTables;
import io.statelesslb.nfqueue.route.Rtnetlink;

/**
 * Each op carried out on the kernel's objects: the tables and the VIP set elements and exemptions over nf_tables,
 * policy routing over rtnetlink. Maglev tables, slots and flows live in the engine, which the dataplane reconfigures
 * after every apply; gateway sessions are the routing daemon's. Every op is idempotent as the kernel sees it too: an
 * add that finds the object there ("File exists") or a delete that does not ("No such file or directory", "No such
 * process") is done. Any other refusal is a {@code NetlinkException} with the kernel's words.
 */
final class KernelOps implements Op.Visitor<Void> {

    private final Rtnetlink route;
    private final NfTables nft;
    private final LoadBalancerTables tables;
    private final QueueWorkers workers;
    private final DataplaneSpec next;

    /** @param next what the dataplane holds once the op has taken effect */
    KernelOps(Rtnetlink route, NfTables nft, LoadBalancerTables tables, QueueWorkers workers, DataplaneSpec next) {
        this.route = route;
        this.nft = nft;
        this.tables = tables;
        this.workers = workers;
        this.next = next;
    }

    /** The queues are listened on before the rules that fill them are written. */
    @Override
    public Void installTables(Op.InstallTables op) {
        workers.follow(next.queueing());
        NfTables.Batch batch = nft.batch();
        tables.install(batch, op.queueing());
        batch.commit();
        return null;
    }

    /** The queues are read as the options say; the engine decides by them once the apply is done. */
    @Override
    public Void setEngineOptions(Op.SetEngineOptions op) {
        workers.configure(op.options());
        return null;
    }

    /** The queues are let go once no rule fills them. */
    @Override
    public Void removeTables(Op.RemoveTables op) {
        tables.remove(nft);
        workers.follow(next.queueing());
        return null;
    }

    /** {@code nft create element inet meridio-nfqlb ipv4-vips { VIP }}. */
    @Override
    public Void addVipElement(Op.AddVipElement op) {
        exists(() -> nft.batch().addElements(LoadBalancerTables.elementsOf(op.vip())).commit());
        return null;
    }

    /** {@code nft delete element inet meridio-nfqlb ipv4-vips { VIP }}. */
    @Override
    public Void removeVipElement(Op.RemoveVipElement op) {
        absent(() -> nft.batch().deleteElements(LoadBalancerTables.elementsOf(op.vip())).commit());
        return null;
    }

    @Override
    public Void addDefragExemption(Op.AddDefragExemption op) {
        return writeExemptions();
    }

    @Override
    public Void removeDefragExemption(Op.RemoveDefragExemption op) {
        return writeExemptions();
    }

    private Void writeExemptions() {
        NfTables.Batch batch = nft.batch();
        tables.writeExemptions(batch, next.defragExemptions());
        batch.commit();
        return null;
    }

    @Override
    public Void addPortNat(Op.AddPortNat op) {
        return writePortNats();
    }

    /** With the tables gone, so is every translation: nothing is left to remove. */
    @Override
    public Void removePortNat(Op.RemovePortNat op) {
        absent(this::writePortNats);
        return null;
    }

    private Void writePortNats() {
        NfTables.Batch batch = nft.batch();
        tables.writePortNats(batch, next.portNats());
        batch.commit();
        return null;
    }

    /** {@code ip rule add pref P fwmark M lookup T proto 115} (or {@code from VIP}). */
    @Override
    public Void addRule(Op.AddRule op) {
        exists(() -> route.addRule(OwnedRouting.fibRule(op.rule())));
        return null;
    }

    /** {@code ip rule del pref P fwmark M lookup T proto 115}. */
    @Override
    public Void removeRule(Op.RemoveRule op) {
        absent(() -> route.deleteRule(OwnedRouting.fibRule(op.rule())));
        return null;
    }

    /** {@code ip route replace default via V dev D table T proto 115} (or {@code nexthop via ...} for several). */
    @Override
    public Void setRoute(Op.SetRoute op) {
        route.replaceRoute(OwnedRouting.route(op.table(), op.nexthops(), route));
        return null;
    }

    /** {@code ip route del default table T proto 115}: only ours. */
    @Override
    public Void removeRoute(Op.RemoveRoute op) {
        absent(() -> route.deleteDefaultRoute(op.table().family(), op.table().number(), OwnTag.PROTOCOL));
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

    // The routing daemon's part (BIRD): the dataplane hands it every session at once, after the kernel's ops.

    @Override
    public Void putGateway(Op.PutGateway op) {
        return null;
    }

    @Override
    public Void removeGateway(Op.RemoveGateway op) {
        return null;
    }

    /** Runs an add: the object being there already is what was asked. */
    private static void exists(Runnable add) {
        try {
            add.run();
        } catch (NetlinkException e) {
            if (e.errno() != NetlinkException.EEXIST) {
                throw e;
            }
        }
    }

    /** Runs a delete: the object not being there is what was asked. */
    private static void absent(Runnable delete) {
        try {
            delete.run();
        } catch (NetlinkException e) {
            if (e.errno() != NetlinkException.ENOENT && e.errno() != NetlinkException.ESRCH) {
                throw e;
            }
        }
    }
}
