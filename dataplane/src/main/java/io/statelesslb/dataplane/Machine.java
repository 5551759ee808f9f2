package io.statelesslb.dataplane;

import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.state.State;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;

/**
 * The machine around a dataplane: its interfaces and its neighbour (ARP/NDP) table. Packets take its interfaces
 * in and out, and stop at a neighbour that does not answer.
 */
public record Machine(SortedMap<String, NetworkInterface> interfaces, SortedMap<IpAddress, Neighbour> neighbours) {

    private static final Machine EMPTY = new Machine(TreeMap.empty(), TreeMap.empty());

    /** @return a machine with no interfaces and no neighbours */
    public static Machine empty() {
        return EMPTY;
    }

    /** @return the machine as {@code state} last observed it */
    public static Machine of(State state) {
        return new Machine(state.interfaces(), state.neighbours());
    }
}
