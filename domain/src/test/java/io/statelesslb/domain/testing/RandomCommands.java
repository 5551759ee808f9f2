package io.statelesslb.domain.testing;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.ConfigureLoadBalancer;
import io.statelesslb.domain.command.DefineAttractor;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.DeleteAttractor;
import io.statelesslb.domain.command.DeleteConduit;
import io.statelesslb.domain.command.DeleteFlow;
import io.statelesslb.domain.command.DeleteGateway;
import io.statelesslb.domain.command.DeleteStream;
import io.statelesslb.domain.command.DeleteTrench;
import io.statelesslb.domain.command.DeleteVip;
import io.statelesslb.domain.command.DisableTarget;
import io.statelesslb.domain.command.EnableTarget;
import io.statelesslb.domain.command.RecordApplyFailure;
import io.statelesslb.domain.command.RecordApplyRecovery;
import io.statelesslb.domain.command.RecordDrift;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportGatewaySessionUp;
import io.statelesslb.domain.command.ReportInterfaceDown;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.command.ReportNeighbourFailed;
import io.statelesslb.domain.command.ReportNeighbourReachable;
import io.statelesslb.domain.command.UnregisterTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random command histories from a seed over a small pool of names and addresses, so that references,
 * conflicts, rejections, pending targets and deletions all happen often.
 */
public final class RandomCommands {

    private static final String[] CONDUITS = {"c1", "c2"};
    private static final String[] STREAMS = {"s1", "s2", "s3"};
    private static final String[] VIPS = {"v1", "v2", "v3", "v4"};
    private static final String[] VIP_ADDRESSES = {"20.0.0.1/32", "20.0.0.2/32", "20.0.0.0/30", "2000::1/128",
            "2000::/64", "30.0.0.0/24", "bad/33"};
    private static final String[] FLOWS = {"f1", "f2", "f3"};
    private static final String[] GATEWAYS = {"g1", "g2", "g3"};
    private static final String[] GATEWAY_ADDRESSES = {"169.254.100.150", "100:100::150", "169.254.100.151"};
    private static final String[] INTERFACES = {"c1-a", "c1-b", "c2-a", "ext0"};
    private static final String[][] INTERFACE_ADDRESSES = {
            {"172.16.0.4/24", "fd00::4/64"}, {"172.16.1.4/24", "fd00:0:0:1::4/64"}, {"172.16.2.4/24"}, {}};
    private static final String[] PORTS = {"80", "443", "4000-4010", "70000", "5-1"};

    private final Random random;

    public RandomCommands(long seed) {
        this.random = new Random(seed);
    }

    /** @return {@code count} random commands, valid and invalid mixed, starting with a trench definition */
    public List<Command> next(int count) {
        List<Command> commands = new ArrayList<>(count);
        commands.add(new DefineTrench("t"));
        while (commands.size() < count) {
            commands.add(next());
        }
        return commands;
    }

    /** @return one random event */
    public Command next() {
        int kind = random.nextInt(100);
        if (kind < 30) {
            return target();
        }
        if (kind < 50) {
            return observation();
        }
        return configuration();
    }

    private Command target() {
        String stream = pick(STREAMS);
        int identifier = 1 + random.nextInt(12);
        switch (random.nextInt(5)) {
            case 0, 1:
                List<String> ips = new ArrayList<>();
                int subnet = random.nextInt(4);
                int host = 1 + random.nextInt(12);
                if (random.nextInt(5) > 0) {
                    ips.add("172.16." + subnet + "." + host);
                }
                if (random.nextInt(3) > 0) {
                    ips.add("fd00:0:0:" + subnet + "::" + host);
                }
                return new RegisterTarget(stream, identifier, ips);
            case 2:
                return new UnregisterTarget(stream, identifier);
            case 3:
                return new DisableTarget(stream, identifier);
            default:
                return new EnableTarget(stream, identifier);
        }
    }

    private Command observation() {
        int i = random.nextInt(INTERFACES.length);
        switch (random.nextInt(7)) {
            case 0, 1:
                return new ReportInterfaceUp(INTERFACES[i], List.of(INTERFACE_ADDRESSES[i]),
                        random.nextBoolean() ? 0 : 1400);
            case 2:
                return new ReportInterfaceDown(INTERFACES[i]);
            case 3:
                return new ReportNeighbourFailed("172.16." + random.nextInt(3) + "." + (1 + random.nextInt(12)),
                        INTERFACES[i]);
            case 4:
                return new ReportNeighbourReachable("172.16." + random.nextInt(3) + "." + (1 + random.nextInt(12)),
                        INTERFACES[i], "02:fe:00:00:00:0" + random.nextInt(10));
            case 5:
                int kind = random.nextInt(8);
                if (kind == 0) {
                    return new RecordDrift("ip rule add pref 99 fwmark 0x13cd lookup 5069");
                } else if (kind == 1) {
                    return random.nextBoolean()
                            ? new RecordApplyFailure("ip rule add pref 99 fwmark 0x13cd lookup 5069",
                                    "RTNETLINK answers: File exists", 1 + random.nextInt(6))
                            : new RecordApplyRecovery(random.nextInt(5));
                }
                return random.nextBoolean() ? new ReportGatewaySessionUp(pick(GATEWAYS))
                        : new ReportGatewaySessionDown(pick(GATEWAYS));
            default:
                return new ReportGatewaySessionUp(pick(GATEWAYS));
        }
    }

    private Command configuration() {
        switch (random.nextInt(16)) {
            case 0:
                // Half the time with a port translation (refused while its VIP is not defined).
                return new DefineConduit(pick(CONDUITS), "", random.nextBoolean() ? List.of()
                        : List.of(new DefineConduit.DestinationPortNat(random.nextBoolean() ? "tcp" : "udp",
                                80 + random.nextInt(2), 8080, List.of(pick(VIPS)))));
            case 1:
                return new DeleteConduit(pick(CONDUITS));
            case 2, 3:
                return new DefineStream(pick(STREAMS), pick(CONDUITS), new int[] {2, 5, 10, 12, 0}[random.nextInt(5)]);
            case 4:
                return new DeleteStream(pick(STREAMS));
            case 5, 6:
                return new DefineVip(pick(VIPS), pick(VIP_ADDRESSES));
            case 7:
                return new DeleteVip(pick(VIPS));
            case 8, 9:
                return new DefineFlow(pick(FLOWS), pick(STREAMS), random.nextInt(5),
                        random.nextInt(3) == 0 ? List.of() : List.of(random.nextBoolean() ? "tcp" : "udp"),
                        random.nextInt(3) == 0 ? List.of("10.0.0.0/8") : List.of(), List.of(),
                        random.nextBoolean() ? List.of(pick(PORTS)) : List.of(),
                        List.of(pick(VIPS)), List.of());
            case 10:
                return new DeleteFlow(pick(FLOWS));
            case 11:
                int g = random.nextInt(GATEWAYS.length);
                return new DefineGateway(GATEWAYS[g], GATEWAY_ADDRESSES[g], "ext0",
                        random.nextBoolean() ? "static" : "bgp", false, 65001, 65002);
            case 12:
                return new DeleteGateway(pick(GATEWAYS));
            case 13:
                return new DefineAttractor("a1", List.of(pick(VIPS)), List.of(pick(GATEWAYS)));
            case 14:
                return new ConfigureLoadBalancer(pick(new String[] {"0:3", "2", "4:1", "0:0", "x"}),
                        random.nextBoolean() ? 1024 : 0, random.nextBoolean(), random.nextBoolean(),
                        random.nextBoolean(), random.nextInt(3) * 100, random.nextInt(3) == 0 ? -1 : 7, 0,
                        random.nextBoolean());
            default:
                return random.nextInt(4) == 0 ? new DeleteTrench("t") : new DeleteAttractor("a1");
        }
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
