package io.statelesslb.sim;

import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.DataplaneContractTest;
import io.statelesslb.domain.net.Family;

/** The simulator holds to the dataplane contract; its machine is what the log says (here, the seed's). */
class SimulatedDataplaneContractTest extends DataplaneContractTest {

    private SimulatedDataplane simulator;

    @Override
    protected Dataplane onTheSeedsMachine() {
        simulator = new SimulatedDataplane();
        return simulator;
    }

    @Override
    protected void deletePathBehindTheBack(Family family, int fwmark, int rulePriority, int table) {
        simulator.tamperDeletePath(family, fwmark);
    }
}
