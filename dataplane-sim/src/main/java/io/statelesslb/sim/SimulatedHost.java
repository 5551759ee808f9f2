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
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.net.IpAddress;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.vavr.collection.SortedMap;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeMap;
import io.vavr.collection.TreeSet;
import io.vavr.control.Option;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated machine: its interfaces, its neighbour (ARP/NDP) table, and what its kernel holds of the load
 * balancer's (the nft set elements and defragmentation exemptions, the policy rules and routes). It outlives a
 * {@link SimulatedDataplane}, as a kernel outlives the process that configured it, and behaves as a kernel does
 * where it matters: an interface going down loses its routes and its IPv6 addresses. Every change to the machine
 * returns the report the kernel backend would make of it, so a test feeds the controller exactly what a real
 * kernel would tell it; the {@code delete}/{@code add} methods are an operator's hand behind the controller's back.
 */
public final class SimulatedHost {

    private SortedMap<String, NetworkInterface> interfaces = TreeMap.empty();
    private SortedMap<IpAddress, Neighbour> neighbours = TreeMap.empty();
    /**
     * The kernel's part of the dataplane: set elements, exemptions, port translations, rules and routes (no streams,
     * no flows).
     */
    private DataplaneSpec kernel = DataplaneSpec.empty();
    /** Gateways whose routing daemon stopped answering (every other one answers). */
    private SortedSet<IpAddress> silentGateways = TreeSet.empty();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    /** Tells {@code changed} of every change made here by hand or by the kernel itself (not through an apply). */
    public void watch(Runnable changed) {
        watchers.add(changed);
    }

    private void changed() {
        watchers.forEach(Runnable::run);
    }

    /** Brings an interface up with addresses ({@code ADDRESS/PREFIX}); @return the report a kernel would make of it */
    public synchronized ObservationCommand interfaceUp(String name, int mtu, String... addresses) {
        interfaces = interfaces.put(name, new NetworkInterface(name, true,
                TreeSet.ofAll(List.of(addresses)).map(a -> Cidr.parse(a).get()), mtu));
        return new ReportInterfaceUp(name, List.of(addresses), mtu);
    }

    /**
     * Takes an interface down as {@code ip link set dev NAME down} does: its routes are flushed (a multipath route
     * loses only the next hops through it) and its IPv6 addresses are dropped.
     *
     * @return the report a kernel would make of it
     */
    public synchronized ObservationCommand interfaceDown(String name) {
        interfaces.get(name).forEach(link -> interfaces = interfaces.put(name, new NetworkInterface(name, false,
                link.addresses().filter(address -> address.family() == Family.IPV4), link.mtu())));
        flushRoutesThrough(name);
        changed();
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

    /**
     * Takes on {@code machine}'s interfaces and neighbours, as the controller's log recorded them; an interface
     * that goes down loses its routes, as in a kernel.
     */
    public synchronized void become(Machine machine) {
        for (NetworkInterface link : interfaces.values()) {
            if (link.up() && !machine.interfaces().get(link.name()).exists(NetworkInterface::up)) {
                flushRoutesThrough(link.name());
            }
        }
        interfaces = machine.interfaces();
        neighbours = machine.neighbours();
    }

    /** The gateway at {@code address} stops answering its sessions (its BGP speaker, its BFD), as if it crashed. */
    public void gatewayStops(String address) {
        synchronized (this) {
            silentGateways = silentGateways.add(IpAddress.parse(address).get());
        }
        changed();
    }

    /** The gateway at {@code address} answers its sessions again. */
    public void gatewayStarts(String address) {
        synchronized (this) {
            silentGateways = silentGateways.remove(IpAddress.parse(address).get());
        }
        changed();
    }

    /**
     * @return whether a session to the gateway at {@code address} over {@code interfaceName} can be up: the gateway
     *         answers, and the interface is not down (one the host was never told of is taken to be up)
     */
    public synchronized boolean gatewayReachable(IpAddress address, String interfaceName) {
        return !silentGateways.contains(address) && !interfaces.get(interfaceName).exists(link -> !link.up());
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

    /** @return what the kernel holds of the load balancer's: set elements, exemptions, rules and routes */
    synchronized DataplaneSpec kernel() {
        return kernel;
    }

    synchronized void kernel(DataplaneSpec kernel) {
        this.kernel = kernel;
    }

    /** {@code ip rule del ...}, by hand. */
    public synchronized void deleteRule(PolicyRule rule) {
        kernel = kernel.withRules(kernel.rules().remove(rule));
        changed();
    }

    /** {@code ip rule add ...}, by hand, tagged as the load balancer's (as a crashed run would leave it). */
    public synchronized void addRule(PolicyRule rule) {
        kernel = kernel.withRules(kernel.rules().add(rule));
        changed();
    }

    /** {@code ip route del default table N}, by hand. */
    public synchronized void deleteRoute(RoutingTable table) {
        kernel = kernel.withRoutes(kernel.routes().remove(table));
        changed();
    }

    /** {@code ip route add default via ... table N}, by hand, tagged as the load balancer's. */
    public synchronized void addRoute(RoutingTable table, Nexthop hop) {
        kernel = kernel.withRoutes(kernel.routes().put(table, TreeSet.of(hop)));
        changed();
    }

    /** {@code nft delete element inet meridio-nfqlb ipv4-vips { VIP }}, by hand. */
    public synchronized void deleteVipElement(Cidr vip) {
        kernel = kernel.withVipElements(kernel.vipElements().remove(vip));
        changed();
    }

    /** {@code nft delete chain inet meridio-nfqlb nfqlb}, by hand: the tables are no longer whole. */
    public synchronized void deleteQueueingChain() {
        kernel = kernel.withQueueing(Option.none());
        changed();
    }

    /** {@code nft delete rule inet meridio-defrag pre-defrag handle N} of an exemption, by hand. */
    public synchronized void deleteDefragExemption(String pattern) {
        kernel = kernel.withDefragExemptions(kernel.defragExemptions().remove(pattern));
        changed();
    }

    /** {@code nft flush table inet meridio-nat}, by hand: every port translation is gone. */
    public synchronized void flushPortNats() {
        kernel = kernel.withPortNats(TreeSet.empty());
        changed();
    }

    private void flushRoutesThrough(String device) {
        SortedMap<RoutingTable, SortedSet<Nexthop>> routes = TreeMap.empty();
        for (var route : kernel.routes()) {
            SortedSet<Nexthop> alive = route._2.filter(hop -> !hop.device().equals(device));
            // A multipath route keeps its other next hops (the kernel marks the one through the device dead); a route
            // with none left is gone.
            routes = alive.isEmpty() ? routes : routes.put(route._1, alive);
        }
        kernel = kernel.withRoutes(routes);
    }
}
