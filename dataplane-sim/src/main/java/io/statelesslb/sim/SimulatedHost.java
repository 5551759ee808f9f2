package io.statelesslb.sim;

import io.statelesslb.dataplane.Machine;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import java.util.List;

/**
 * The simulated machine around the dataplane: its interfaces and its neighbour (ARP/NDP) table. Every change
 * returns the observation event the kernel backend would report, so a test feeds the controller exactly what a
 * real kernel would tell it.
 */
public final class SimulatedHost {

    private SortedMap<String, NetworkInterface> interfaces = TreeMap.empty();
    private SortedMap<IpAddress, Neighbour> neighbours = TreeMap.empty();

    /** Brings an interface up with addresses ({@code ADDRESS/PREFIX}); @return the event observing it */
    public synchronized ObservationEvent interfaceUp(String name, int mtu, String... addresses) {
        interfaces = interfaces.put(name, new NetworkInterface(name, true,
                TreeSet.ofAll(List.of(addresses)).map(a -> Cidr.parse(a).get()), mtu));
        return new InterfaceUp(name, List.of(addresses), mtu);
    }

    /** Takes an interface down; @return the event observing it */
    public synchronized ObservationEvent interfaceDown(String name) {
        interfaces.get(name).forEach(link -> interfaces = interfaces.put(name,
                new NetworkInterface(name, false, link.addresses(), link.mtu())));
        return new InterfaceDown(name);
    }

    /** Records a neighbour answering ARP/NDP; @return the event observing it */
    public synchronized ObservationEvent neighbourReachable(String address, String interfaceName, String mac) {
        IpAddress ip = IpAddress.parse(address).get();
        neighbours = neighbours.put(ip, new Neighbour(ip, interfaceName, NeighbourState.REACHABLE, mac));
        return new NeighbourReachable(address, interfaceName, mac);
    }

    /** Records a neighbour that stopped answering; @return the event observing it */
    public synchronized ObservationEvent neighbourFailed(String address, String interfaceName) {
        IpAddress ip = IpAddress.parse(address).get();
        neighbours = neighbours.put(ip, new Neighbour(ip, interfaceName, NeighbourState.FAILED, ""));
        return new NeighbourFailed(address, interfaceName);
    }

    /** Takes on {@code machine}'s interfaces and neighbours, as the controller's log recorded them. */
    public synchronized void become(Machine machine) {
        interfaces = machine.interfaces();
        neighbours = machine.neighbours();
    }

    /** @return the machine as it is now */
    public synchronized Machine machine() {
        return new Machine(interfaces, neighbours);
    }

    /** @return the interfaces by name */
    public synchronized SortedMap<String, NetworkInterface> interfaces() {
        return interfaces;
    }

    /** @return the neighbour table by address */
    public synchronized SortedMap<IpAddress, Neighbour> neighbours() {
        return neighbours;
    }
}
