package io.statelesslb.api.http;

import java.util.List;

/**
 * One stream's Maglev table as the dataplane has it ({@code nfqlb show}): M and N, every lookup entry (the slot
 * each hash bucket maps to, -1 for none), each active target's slot, fwmark and share of the entries, and the
 * {@code nfqlb show} text.
 *
 * @param sequence the sequence whose plan the dataplane matches
 */
public record MaglevView(String stream, long sequence, int m, int n, List<Slot> active, int[] lookup, String show) {

    /** An active slot: the target's identifier (slot + 1), its fwmark, and how many lookup entries are its. */
    public record Slot(int identifier, int slot, int fwmark, int entries, double share) {
    }
}
