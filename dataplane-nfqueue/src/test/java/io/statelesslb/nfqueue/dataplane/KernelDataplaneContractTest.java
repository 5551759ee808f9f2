package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.DataplaneContractTest;
import io.statelesslb.domain.net.Family;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.nio.file.Path;

/**
 * The real kernel holds to the dataplane contract, in a network namespace built like the seed's load balancer:
 * what it is asked to hold is read back over netlink, and a rule deleted with {@code ip rule del} shows. Needs root;
 * elsewhere skipped with the reason.
 */
class KernelDataplaneContractTest extends DataplaneContractTest {

    private SeedMachine machine;
    private TestNamespace lb;

    @Override
    protected Dataplane onTheSeedsMachine() {
        machine = SeedMachine.build("slb-kct");
        lb = machine.lb();
        // Nothing answers ARP behind the veths: the targets' neighbour entries are written, so none fails.
        for (String[] neighbour : new String[][] {{"172.16.1.6", "conduit-a--f75b", "02:fe:c2:14:ec:dd"},
                {"172.16.1.8", "conduit-a--f75b", "02:fe:54:90:a2:4f"}, {"172.16.0.8", "conduit-a--d7c4",
                "02:fe:72:70:fd:55"}, {"172.16.0.6", "conduit-a--d7c4", "02:fe:d6:03:3b:84"}}) {
            lb.ip("neigh", "replace", neighbour[0], "dev", neighbour[1], "lladdr", neighbour[2], "nud", "permanent");
        }
        return KernelDataplane.open(Path.of("/run/netns", lb.name()), 1);
    }

    @Override
    protected void deletePathBehindTheBack(Family family, int fwmark, int rulePriority, int table) {
        String flag = family == Family.IPV6 ? "-6" : "-4";
        lb.ip(flag, "rule", "del", "pref", Integer.toString(rulePriority), "fwmark", "0x" + Integer.toHexString(fwmark),
                "lookup", Integer.toString(table));
        lb.ip(flag, "route", "del", "default", "table", Integer.toString(table));
    }

    @Override
    protected void tearDownMachine() {
        if (machine != null) {
            machine.close();
        }
    }
}
