package io.statelesslb.sim;

import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.DataplaneContractTest;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import java.util.List;

/**
 * The simulator holds to the dataplane contract; its machine is what the log says (here, the seed's), and the hand
 * behind the controller's back is the simulated host's.
 */
class SimulatedDataplaneContractTest extends DataplaneContractTest {

    private final SimulatedHost host = new SimulatedHost();

    @Override
    protected Dataplane onTheSeedsMachine() {
        return new SimulatedDataplane(host);
    }

    @Override
    protected Dataplane restart(Dataplane running) {
        running.close();
        return new SimulatedDataplane(host);
    }

    @Override
    protected void deleteRule(PolicyRule rule) {
        host.deleteRule(rule);
    }

    @Override
    protected void deleteRoute(RoutingTable table) {
        host.deleteRoute(table);
    }

    @Override
    protected void deleteVipElement(Cidr vip) {
        host.deleteVipElement(vip);
    }

    @Override
    protected void deleteDefragExemption(String pattern) {
        host.deleteDefragExemption(pattern);
    }

    @Override
    protected void deleteQueueingChain() {
        host.deleteQueueingChain();
    }

    @Override
    protected void flushPortNats() {
        host.flushPortNats();
    }

    @Override
    protected void leaveStrayRoute(RoutingTable table, Nexthop hop) {
        host.addRoute(table, hop);
    }

    @Override
    protected void leaveStrayRule(PolicyRule rule) {
        host.addRule(rule);
    }

    @Override
    protected List<ObservationCommand> linkDown(String device, State observed) {
        return List.of(host.interfaceDown(device));
    }

    @Override
    protected List<ObservationCommand> linkUp(String device, int mtu, List<String> addresses, State observed) {
        return List.of(host.interfaceUp(device, mtu, addresses.toArray(String[]::new)));
    }
}
