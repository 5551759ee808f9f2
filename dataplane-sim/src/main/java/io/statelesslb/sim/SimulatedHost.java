package io.statelesslb.sim;

import io.statelesslb.dataplane.Machine;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.ReportNeighbourReachable;
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
 * returns the report the kernel backend would make of it, so a test feeds the controller exactly what a real
 * kernel would tell it.
 */
public final class SimulatedHost {

    private SortedMap<String, NetworkInterface> interfaces = TreeMap.empty();
    private SortedMap<IpAddress, Neighbour> neighbours = TreeMap.empty();

    /** Brings an interface up with addresses ({@code ADDRESS/PREFIX}); @return the report a kernel would make of it */
    public synchronized ObservationCommand interfaceUp(String name, int mtu, String... addresses) {
        interfaces = interfaces.put(name, new NetworkInterface(name, true,
                TreeSet.ofAll(List.of(addresses)).map(a -> Cidr.parse(a).get()), mtu));
        return new ReportInterfaceUp(name, List.of(addresses), mtu);
    }

    /** Takes an interface down; @return the report a kernel would make of it */
    public synchronized ObservationCommand interfaceDown(String name) {
        interfaces.get(name).forEach(link -> interfaces = interfaces.put(name,
                new NetworkInterface(name, false, link.addresses(), link.mtu())));
        return new ReportInterfaceDown(name);
    }

    /** Records a neighbour answering ARP/NDP; @return the report a kernel would make of it */
    public synchronized ObservationCommand neighbourReachable(String address, String interfaceName, String mac) {
        IpAddress ip = IpAddress.parse(address).get();
        neighbours = neighbours.put(ip, new Neighbour(ip, interfaceName, NeighbourState.REACHABLE, mac));
        return new ReportNeighbourReachable(address, interfaceName, mac);
    }

    /** Records a neighbour that stopped answering; @return the report a kernel would make of it */
    public synchronized ObservationCommand neighbourFailed(String address, String interfaceName) {
        IpAddress ip = IpAddress.parse(address).get();
        neighbours = neighbours.put(ip, new Neighbour(ip, interfaceName, NeighbourState.FAILED, ""));
        return new ReportNeighbourFailed(address, interfaceName);
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
