package io.statelesslb.engine;

import io.statelesslb.engine.flow.FlowClassifier;
import io.statelesslb.engine.flow.FlowRule;
import io.statelesslb.engine.fragment.FragmentTable;
import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.MaglevTable;
import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import java.util.function.LongSupplier;

/**
 * The packet path: raw IP bytes → key → flow → the flow's stream's Maglev table → fwmark, bit for bit as nfqlb
 * decides. Fragments: a later fragment follows its first fragment's decision (or is held until it comes); with an
 * LB tier, fragments of a datagram another instance owns by address hash are sent to it. {@link #decide} never
 * throws and never allocates; configuration changes are published with one volatile write and read once per
 * packet, so a packet is decided wholly under one configuration.
 */
public final class LoadBalancer {

    private volatile Prepared prepared;
    private final FragmentTable fragments;
    private final LongSupplier nanoClock;
    private final PacketCounts counts = new PacketCounts();
    /** Where decided packets are copied while someone follows them live; null (the usual case) when no one does. */
    private volatile TraceTap tap;

    /** The configuration with its tables unpacked into arrays for the packet path, and where its flows count. */
    private static final class Prepared {
        final EngineConfig config;
        final FlowClassifier flows;
        final Maglev[] maglevByFlow;
        final Maglev lbTier;
        final PacketCounts.Layout counted;

        Prepared(EngineConfig config, PacketCounts counts) {
            this.config = config;
            this.flows = config.flows();
            this.maglevByFlow = config.maglevByFlow().toArray(Maglev[]::new);
            this.lbTier = config.lbTier();
            this.counted = counts.layout(config);
        }
    }

    /**
     * @param config     the flows, tables and policies
     * @param fragments  where first fragments' decisions are kept for later fragments
     * @param nanoClock  the time for fragment expiry (injected, so that tests and replays are deterministic)
     */
    public LoadBalancer(EngineConfig config, FragmentTable fragments, LongSupplier nanoClock) {
        this.prepared = new Prepared(config, counts);
        this.fragments = fragments;
        this.nanoClock = nanoClock;
    }

    /** An engine with a default fragment table (64 Ki datagrams, 256 held fragments, 2 s) on the system clock. */
    public LoadBalancer(EngineConfig config) {
        this(config, new FragmentTable(65536, 256, 2048, 2_000_000_000L), System::nanoTime);
    }

    /** @return the fragment table, to read fragments a decision released */
    public FragmentTable fragments() {
        return fragments;
    }

    /** @return the flow at {@code index} of the configuration in force (as {@link PacketDecision#flow()} names it) */
    public FlowRule flow(int index) {
        return prepared.flows.flow(index);
    }

    /** Switches to {@code config} for every packet decided from now on. */
    public void configure(EngineConfig config) {
        this.prepared = new Prepared(config, counts);
    }

    /** Copies the packets decided from now on into {@code tap}, or stops copying them when it is null. */
    public void tap(TraceTap tap) {
        this.tap = tap;
    }

    /** @return the time on the engine's clock, in nanoseconds (a tap's reader checks rates against it) */
    public long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** @return the tap decided packets are copied into, or null */
    public TraceTap tap() {
        return tap;
    }

    /** @return what this engine has decided, counted by its packet thread */
    public PacketCounts counts() {
        return counts;
    }

    /**
     * Decides one packet.
     *
     * @param packet   holds the IP packet
     * @param offset   where it starts
     * @param length   its length as received
     * @param ipv6     whether it is IPv6
     * @param key      the thread's key, refilled
     * @param decision the thread's decision, refilled
     */
    public void decide(byte[] packet, int offset, int length, boolean ipv6, PacketKey key, PacketDecision decision) {
        decide(packet, offset, length, ipv6, TraceTap.UNKNOWN, key, decision);
    }

    /**
     * Decides one packet that arrived on a known interface (named when the packet is traced live).
     *
     * @param ingress the interface index it arrived on, {@link TraceTap#LOCAL} or {@link TraceTap#UNKNOWN}
     */
    public void decide(byte[] packet, int offset, int length, boolean ipv6, int ingress, PacketKey key,
                       PacketDecision decision) {
        decide(packet, offset, length, ipv6, ingress, 0, key, decision);
    }

    /**
     * Decides one packet that arrived on a known interface and that its caller knows by {@code tag}: a later
     * fragment the engine holds ({@link Verdict#HELD}) is held under it, and comes back as
     * {@link FragmentTable#releasedTag} with its first fragment's decision or as {@link FragmentTable#expiredTag}.
     */
    public void decide(byte[] packet, int offset, int length, boolean ipv6, int ingress, long tag, PacketKey key,
                       PacketDecision decision) {
        Prepared current = prepared;
        decide(current, packet, offset, length, ipv6, tag, key, decision);
        counts.count(current.counted, decision);
        TraceTap following = tap;
        if (following != null) {
            FlowRule matched = decision.flow >= 0 ? current.flows.flow(decision.flow) : null;
            following.offer(packet, offset, length, ipv6, ingress, decision, matched, nanoClock);
        }
    }

    private void decide(Prepared current, byte[] packet, int offset, int length, boolean ipv6, long tag,
                        PacketKey key, PacketDecision decision) {
        decision.reset();
        int result = KeyExtractor.extract(packet, offset, length, ipv6, current.config.udpEncapsulationPort(), key);
        decision.keyResult = result;
        if (result == KeyResult.REJECTED) {
            fallBack(decision, DecisionReason.UNPARSEABLE, current.config.noFlowFwmark());
            return;
        }
        boolean fragment = (result & (KeyResult.FIRST_FRAGMENT | KeyResult.LATER_FRAGMENT)) != 0;
        if (fragment && current.lbTier != null && (ipv6 ? current.config.lbTierIpv6() : current.config.lbTierIpv4())
                && forwardToOwner(current, key, decision)) {
            return;
        }
        if ((result & KeyResult.LATER_FRAGMENT) != 0) {
            // Later fragments carry no ports: they follow their first fragment's decision.
            int followed = fragments.later(key, packet, offset, length, tag, nanoClock.getAsLong());
            if (followed >= 0) {
                decision.fwmark = followed;
                decision.set(followed == 0 ? Verdict.DROP : Verdict.MARK, DecisionReason.FRAGMENT_FOLLOWED);
            } else if (followed == FragmentTable.HELD) {
                decision.set(Verdict.HELD, DecisionReason.FRAGMENT_HELD);
            } else {
                fallBack(decision, DecisionReason.FRAGMENT_UNKNOWN, current.config.noFlowFwmark());
            }
            return;
        }
        classify(current, packet, offset, length, key, decision);
        if ((result & KeyResult.FIRST_FRAGMENT) != 0) {
            fragments.first(key, decision.verdict() == Verdict.MARK ? decision.fwmark : 0, nanoClock.getAsLong());
            decision.releasedFragments = fragments.releasedCount();
        }
    }

    private static void classify(Prepared current, byte[] packet, int offset, int length, PacketKey key,
                                 PacketDecision decision) {
        int flow = current.flows.classify(packet, offset, length, key);
        if (flow == FlowClassifier.NO_FLOW) {
            fallBack(decision, DecisionReason.NO_FLOW, current.config.noFlowFwmark());
            return;
        }
        decision.flow = flow;
        Maglev.View view = current.maglevByFlow[flow].view();
        int hash = key.hash();
        decision.hash = hash;
        int slot = view.slotFor(hash);
        if (slot == MaglevTable.NONE) {
            fallBack(decision, DecisionReason.NO_TARGETS, current.config.noTargetsFwmark());
            return;
        }
        decision.slot = slot;
        decision.fwmark = view.fwmarkOf(slot);
        decision.set(Verdict.MARK, DecisionReason.LOAD_BALANCED);
    }

    /**
     * Explains how {@link #decide} treats a packet, without touching the fragment table (a later fragment is
     * reported as following its first fragment). Allocates: for {@code slb trace}, not for the packet path.
     */
    public DecisionTrace explain(byte[] packet, int offset, int length, boolean ipv6) {
        Prepared current = prepared;
        PacketKey key = new PacketKey();
        int result = KeyExtractor.extract(packet, offset, length, ipv6, current.config.udpEncapsulationPort(), key);
        byte[] keyBytes = new byte[PacketKey.LENGTH];
        key.copyTo(keyBytes);
        String keyHex = java.util.HexFormat.of().formatHex(keyBytes);
        if (result == KeyResult.REJECTED || (result & KeyResult.LATER_FRAGMENT) != 0) {
            boolean rejected = result == KeyResult.REJECTED;
            return new DecisionTrace(result, keyHex, java.util.List.of(), null, 0, -1,
                    rejected ? current.config.noFlowFwmark() : 0,
                    rejected && current.config.noFlowFwmark() == 0 ? Verdict.DROP : Verdict.MARK,
                    rejected ? DecisionReason.UNPARSEABLE : DecisionReason.FRAGMENT_FOLLOWED);
        }
        PacketDecision decision = new PacketDecision();
        decision.keyResult = result;
        classify(current, packet, offset, length, key, decision);
        String flow = decision.flow >= 0 ? current.flows.flow(decision.flow).name() : null;
        return new DecisionTrace(result, keyHex, current.flows.explain(packet, offset, length, key), flow,
                decision.hash & 0xFFFF_FFFFL, decision.slot, decision.fwmark, decision.verdict(), decision.reason());
    }

    /** @return whether another instance owns this fragmented datagram, and the decision now sends it there */
    private static boolean forwardToOwner(Prepared current, PacketKey key, PacketDecision decision) {
        Maglev.View tier = current.lbTier.view();
        int owner = tier.slotFor(key.addressHash());
        if (owner == MaglevTable.NONE || tier.fwmarkOf(owner) == current.config.ownFwmark()) {
            return false;
        }
        decision.fwmark = tier.fwmarkOf(owner);
        decision.set(Verdict.MARK, DecisionReason.FORWARDED_TO_OWNER);
        return true;
    }

    private static void fallBack(PacketDecision decision, DecisionReason reason, int fwmark) {
        decision.fwmark = fwmark;
        decision.set(fwmark == 0 ? Verdict.DROP : Verdict.MARK, reason);
    }
}
