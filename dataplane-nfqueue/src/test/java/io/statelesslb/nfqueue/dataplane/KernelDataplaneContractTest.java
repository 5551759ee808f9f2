package io.statelesslb.nfqueue.dataplane;

import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.dataplane.DataplaneContractTest;
import io.statelesslb.dataplane.probe.Reachability;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.Family;
import io.statelesslb.domain.plan.Nexthop;
import io.statelesslb.domain.plan.PolicyRule;
import io.statelesslb.domain.plan.RoutingTable;
import io.statelesslb.domain.state.State;
import io.statelesslb.nfqueue.netlink.TestNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real kernel holds to the dataplane contract, in a network namespace built like the seed's load balancer:
 * what it is asked to hold is read back over netlink, and every hand change is made with the very {@code ip} and
 * {@code nft} commands an operator would type. Needs root; elsewhere skipped with the reason.
 */
class KernelDataplaneContractTest extends DataplaneContractTest {

    /** Nothing answers ARP behind the veths: the targets' neighbour entries are written, so none fails. */
    private static final String[][] NEIGHBOURS = {{"172.16.1.6", "conduit-a--f75b", "02:fe:c2:14:ec:dd"},
            {"172.16.1.8", "conduit-a--f75b", "02:fe:54:90:a2:4f"}, {"172.16.0.8", "conduit-a--d7c4",
            "02:fe:72:70:fd:55"}, {"172.16.0.6", "conduit-a--d7c4", "02:fe:d6:03:3b:84"}};
    private static final Pattern HANDLE = Pattern.compile("iifname \"([^\"]*)\" notrack # handle (\\d+)");

    private SeedMachine machine;
    private TestNamespace lb;

    @Override
    protected Dataplane onTheSeedsMachine() {
        machine = SeedMachine.build("slb-kct");
        lb = machine.lb();
        writeNeighbours();
        return open();
    }

    private Dataplane open() {
        return KernelDataplane.open(Path.of("/run/netns", lb.name()), Reachability.Settings.DEFAULTS,
                new StandInBird(lb));
    }

    private void writeNeighbours() {
        for (String[] neighbour : NEIGHBOURS) {
            lb.ip("neigh", "replace", neighbour[0], "dev", neighbour[1], "lladdr", neighbour[2], "nud", "permanent");
        }
    }

    @Override
    protected Dataplane restart(Dataplane running) {
        running.close();
        return open();
    }

    @Override
    protected void deleteRule(PolicyRule rule) {
        lb.ip(flag(rule.family()), "rule", "del", "pref", Integer.toString(rule.priority()), "fwmark",
                "0x" + Integer.toHexString(rule.fwmark()), "lookup", Integer.toString(rule.table()));
    }

    @Override
    protected void deleteRoute(RoutingTable table) {
        lb.ip(flag(table.family()), "route", "del", "default", "table", Integer.toString(table.number()));
    }

    @Override
    protected void deleteVipElement(Cidr vip) {
        lb.exec("nft", "delete", "element", "inet", "meridio-nfqlb",
                vip.family() == Family.IPV4 ? "ipv4-vips" : "ipv6-vips", "{ " + vip + " }");
    }

    @Override
    protected void deleteDefragExemption(String pattern) {
        Matcher rule = HANDLE.matcher(lb.exec("nft", "-a", "list", "chain", "inet", "meridio-defrag", "pre-defrag"));
        while (rule.find()) {
            if (rule.group(1).equals(pattern)) {
                lb.exec("nft", "delete", "rule", "inet", "meridio-defrag", "pre-defrag", "handle", rule.group(2));
            }
        }
    }

    @Override
    protected void deleteQueueingChain() {
        lb.exec("nft", "delete", "chain", "inet", "meridio-nfqlb", "nfqlb");
    }

    @Override
    protected void flushPortNats() {
        lb.exec("nft", "flush", "table", "inet", "meridio-nat");
    }

    @Override
    protected void leaveStrayRoute(RoutingTable table, Nexthop hop) {
        lb.ip(flag(table.family()), "route", "add", "default", "via", hop.via().toString(), "dev", hop.device(),
                "table", Integer.toString(table.number()), "proto", "115");
    }

    @Override
    protected void leaveStrayRule(PolicyRule rule) {
        lb.ip(flag(rule.family()), "rule", "add", "pref", Integer.toString(rule.priority()), "fwmark",
                "0x" + Integer.toHexString(rule.fwmark()), "lookup", Integer.toString(rule.table()), "proto", "115");
    }

    @Override
    protected List<ObservationCommand> linkDown(String device, State observed) {
        lb.ip("link", "set", "dev", device, "down");
        return dataplane.observe(observed);
    }

    /** The kernel drops IPv6 addresses and every neighbour entry of a link that goes down: both are put back. */
    @Override
    protected List<ObservationCommand> linkUp(String device, int mtu, List<String> addresses, State observed) {
        lb.ip("link", "set", "dev", device, "mtu", Integer.toString(mtu), "up");
        for (String address : addresses) {
            List<String> command = new ArrayList<>(List.of("addr", "replace", address, "dev", device));
            if (address.contains(":")) {
                command.add("nodad");
            }
            lb.ip(command.toArray(String[]::new));
        }
        writeNeighbours();
        return dataplane.observe(observed);
    }

    private static String flag(Family family) {
        return family == Family.IPV6 ? "-6" : "-4";
    }

    @Override
    protected void tearDownMachine() {
        if (machine != null) {
            machine.close();
        }
    }
}
