package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.Machine;
import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.ReportNeighbourReachable;
import io.statelesslb.domain.model.Gateway;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.model.Target;
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
 * table ({@code ip neigh}), read over rtnetlink, and what changed of it that matters to the plan since the
 * controller's state last observed it: the conduits' and the gateways' interfaces, the gateways' neighbours as the
 * kernel has them, and the targets' as the {@link NeighbourProber} hears them. Other interfaces and neighbours (the
 * loopback, link-local addresses) are not the load balancer's business and are not recorded.
 */
final class KernelMachine {

    private final Rtnetlink links;
    private final NeighbourProber prober;

    /** @param links a route netlink connection of the reader's own */
    KernelMachine(Rtnetlink links, NeighbourProber prober) {
        this.links = links;
        this.prober = prober;
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
     * Compares the kernel's interfaces and neighbours that matter with what {@code state} has observed, and sets the
     * prober on the targets of {@code state} that an up conduit interface reaches.
     *
     * @return the reports that bring the state to the kernel's machine (none when they agree)
     */
    List<ObservationCommand> changesSince(State state) {
        List<Link> kernelLinks = links.links();
        Machine now = read(kernelLinks);
        List<ObservationCommand> reports = new ArrayList<>();
        for (NetworkInterface link : now.interfaces().values()) {
            NetworkInterface known = state.interfaces().get(link.name()).getOrNull();
            if (known == null && !matters(state, link.name())) {
                continue;
            }
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
        reportGateways(state, now, reports);
        reportTargets(state, kernelLinks, names(kernelLinks), reports);
        return reports;
    }

    /**
     * @return whether an interface is a conduit's, a gateway's or an LB tier's: the ones the plan depends on (any
     *         instance's tier interface name, as the machine does not know which instance it is: one more interface
     *         observed at most)
     */
    private static boolean matters(State state, String name) {
        return state.conduits().values().exists(conduit -> conduit.owns(name))
                || state.gateways().values().exists(gateway -> gateway.interfaceName().equals(name))
                || state.instances().values().exists(instance -> instance.interfaceName().equals(name));
    }

    /** The gateways' neighbour entries, as the kernel has them. */
    private static void reportGateways(State state, Machine now, List<ObservationCommand> reports) {
        for (Gateway gateway : state.gateways().values()) {
            Neighbour neighbour = now.neighbours().get(gateway.address()).getOrNull();
            if (neighbour != null) {
                report(state, neighbour.address(), neighbour.interfaceName(), neighbour.state(), neighbour.mac(),
                        reports);
            }
        }
    }

    /** The targets' addresses, as the prober heard them; the prober is set on those an up conduit reaches. */
    private void reportTargets(State state, List<Link> kernelLinks, Map<Integer, String> names,
                               List<ObservationCommand> reports) {
        Map<IpAddress, NeighbourProber.Probed> probed = new HashMap<>();
        for (Target target : state.targets().values().flatMap(SortedMap::values)) {
            for (IpAddress ip : target.ips()) {
                for (Link link : kernelLinks) {
                    boolean conduit = state.streams().get(target.stream())
                            .flatMap(stream -> state.conduits().get(stream.conduit()))
                            .exists(owner -> owner.owns(link.name()));
                    if (conduit && link.up() && link.addresses().stream().anyMatch(address -> address.network()
                            .contains(ip) && address.family() == ip.family())) {
                        probed.putIfAbsent(ip, new NeighbourProber.Probed(ip, link.index()));
                    }
                }
            }
        }
        prober.probe(probed);
        prober.heard().forEach((ip, heard) -> {
            String device = names.get(heard.interfaceIndex());
            if (device == null || heard.verdict() == Reachability.Verdict.UNKNOWN) {
                return;
            }
            boolean up = heard.verdict() == Reachability.Verdict.UP;
            report(state, ip, device, up ? NeighbourState.REACHABLE : NeighbourState.FAILED,
                    up ? heard.mac() : "", reports);
        });
    }

    private static void report(State state, IpAddress address, String device, NeighbourState neighbourState,
                               String mac, List<ObservationCommand> reports) {
        Neighbour known = state.neighbours().get(address).getOrNull();
        if (known != null && known.state() == neighbourState && known.mac().equals(mac == null ? "" : mac)
                && known.interfaceName().equals(device)) {
            return;
        }
        reports.add(neighbourState == NeighbourState.FAILED
                ? new ReportNeighbourFailed(address.toString(), device)
                : new ReportNeighbourReachable(address.toString(), device, mac));
    }
}
