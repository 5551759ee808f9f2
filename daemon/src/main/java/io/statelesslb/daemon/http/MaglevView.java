package io.statelesslb.daemon.http;

import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.MaglevTable;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.domain.plan.StreamPlan;
import io.statelesslb.dataplane.render.LinuxViews;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream's Maglev table as the dataplane has it ({@code nfqlb show}): M and N, every lookup entry (the slot
 * each hash bucket maps to, -1 for none), each active target's slot, fwmark and share of the entries, and the
 * {@code nfqlb show} text.
 */
public record MaglevView(String stream, long sequence, int m, int n, List<Slot> active, int[] lookup, String show) {

    /** An active slot: the target's identifier (slot + 1), its fwmark, and how many lookup entries are its. */
    public record Slot(int identifier, int slot, int fwmark, int entries, double share) {
    }

    /** @param sequence the sequence whose plan the dataplane matches */
    public static MaglevView of(StreamPlan stream, long sequence, PermutationCache permutations) {
        Maglev maglev = new Maglev(stream.maglev().requestedM(), stream.maglev().n(), permutations);
        int[] fwmarks = new int[stream.maglev().n()];
        stream.slots().forEach(slot -> fwmarks[slot._1] = slot._2);
        maglev.setAll(fwmarks);
        MaglevTable table = maglev.view().table();
        int[] lookup = new int[table.size()];
        int[] entries = new int[stream.maglev().n()];
        for (int i = 0; i < lookup.length; i++) {
            lookup[i] = table.entry(i);
            if (lookup[i] >= 0) {
                entries[lookup[i]]++;
            }
        }
        List<Slot> active = new ArrayList<>();
        stream.slots().forEach(slot -> active.add(new Slot(slot._1 + 1, slot._1, slot._2, entries[slot._1],
                lookup.length == 0 ? 0 : (double) entries[slot._1] / lookup.length)));
        return new MaglevView(stream.stream(), sequence, maglev.m(), stream.maglev().n(), active, lookup,
                LinuxViews.nfqlbShow(stream, maglev));
    }
}
