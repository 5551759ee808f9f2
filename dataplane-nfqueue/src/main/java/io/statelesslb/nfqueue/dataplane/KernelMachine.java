package io.statelesslb.nfqueue.dataplane;

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
import io.statelesslb.domain.state.State;
import io.statelesslb.nfqueue.route.Link;
import io.statelesslb.nfqueue.route.Rtnetlink;
import io.vavr.collection.SortedMap;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine as the kernel holds it: its interfaces with their addresses ({@code ip addr}) and its neighbour
 * table ({@code ip neigh}), read over rtnetlink, and what changed since the controller's state last observed it.
 */
final class KernelMachine {

    private final Rtnetlink links;

    /** @param links a route netlink connection of the reader's own */
    KernelMachine(Rtnetlink links) {
        this.links = links;
    }

    /** @return the interfaces and neighbours the kernel holds now */
    Machine read() {
        return read(links.links());
    }

    private Machine read(List<Link> kernelLinks) {
        SortedMap<String, NetworkInterface> interfaces = TreeMap.empty();
        for (Link link : kernelLinks) {
            interfaces = interfaces.put(link.name(), new NetworkInterface(link.name(), link.up(),
                    TreeSet.ofAll(link.addresses()), link.mtu()));
        }
        Map<Integer, String> names = names(kernelLinks);
        SortedMap<IpAddress, Neighbour> neighbours = TreeMap.empty();
        for (io.statelesslb.nfqueue.route.Neighbour neighbour : links.neighbours()) {
            String device = names.get(neighbour.interfaceIndex());
            if (device == null || (!neighbour.failed() && neighbour.mac() == null)) {
                continue; // an entry on no known interface, or one still being resolved, says nothing yet
            }
            neighbours = neighbours.put(neighbour.address(), new Neighbour(
                    neighbour.address(), device, neighbour.failed() ? NeighbourState.FAILED : NeighbourState.REACHABLE,
                    neighbour.failed() ? "" : neighbour.mac()));
        }
        return new Machine(interfaces, neighbours);
    }

    /** @return interface names by index */
    static Map<Integer, String> names(List<Link> kernelLinks) {
        Map<Integer, String> names = new HashMap<>();
        kernelLinks.forEach(link -> names.put(link.index(), link.name()));
        return names;
    }

    /**
     * Compares the kernel's interfaces and neighbour table with what {@code state} has observed.
     *
     * @return the reports that bring the state to the kernel's machine (none when they agree)
     */
    List<ObservationCommand> changesSince(State state) {
        Machine now = read();
        List<ObservationCommand> reports = new ArrayList<>();
        for (NetworkInterface link : now.interfaces().values()) {
            NetworkInterface known = state.interfaces().get(link.name()).getOrNull();
            if (link.up()) {
                if (known == null || !known.up() || !known.addresses().equals(link.addresses())
                        || known.mtu() != link.mtu()) {
                    reports.add(new ReportInterfaceUp(link.name(), link.addresses().map(Cidr::toString).toJavaList(),
                            link.mtu()));
                }
            } else if (known != null && known.up()) {
                reports.add(new ReportInterfaceDown(link.name()));
            }
        }
        state.interfaces().values().filter(known -> known.up() && !now.interfaces().containsKey(known.name()))
                .forEach(gone -> reports.add(new ReportInterfaceDown(gone.name())));
        for (Neighbour neighbour : now.neighbours().values()) {
            Neighbour known = state.neighbours().get(neighbour.address()).getOrNull();
            // Entries that merely went stale still answer; an entry the kernel dropped says nothing.
            if (known == null || known.state() != neighbour.state() || !known.mac().equals(neighbour.mac())
                    || !known.interfaceName().equals(neighbour.interfaceName())) {
                reports.add(neighbour.state() == NeighbourState.FAILED
                        ? new ReportNeighbourFailed(neighbour.address().toString(), neighbour.interfaceName())
                        : new ReportNeighbourReachable(neighbour.address().toString(), neighbour.interfaceName(),
                                neighbour.mac()));
            }
        }
        return reports;
    }
}
