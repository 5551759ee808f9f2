package io.statelesslb.domain.testing;

import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.AttractorDeleted;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.ConduitDeleted;
import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.FlowDeleted;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.GatewayDeleted;
import io.statelesslb.domain.event.GatewaySessionDown;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.StreamDefined;
import io.statelesslb.domain.event.StreamDeleted;
import io.statelesslb.domain.event.TargetDisabled;
import io.statelesslb.domain.event.TargetEnabled;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TargetUnregistered;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.TrenchDeleted;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.event.VipDeleted;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random event histories from a seed over a small pool of names and addresses, so that references,
 * conflicts, rejections, pending targets and deletions all happen often.
 */
public final class RandomEvents {

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

    public RandomEvents(long seed) {
        this.random = new Random(seed);
    }

    /** @return {@code count} random events, valid and invalid mixed, starting with a trench definition */
    public List<Event> next(int count) {
        List<Event> events = new ArrayList<>(count);
        events.add(new TrenchDefined("t"));
        while (events.size() < count) {
            events.add(next());
        }
        return events;
    }

    /** @return one random event */
    public Event next() {
        int kind = random.nextInt(100);
        if (kind < 30) {
            return target();
        }
        if (kind < 50) {
            return observation();
        }
        return configuration();
    }

    private Event target() {
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
                return new TargetRegistered(stream, identifier, ips);
            case 2:
                return new TargetUnregistered(stream, identifier);
            case 3:
                return new TargetDisabled(stream, identifier);
            default:
                return new TargetEnabled(stream, identifier);
        }
    }

    private Event observation() {
        int i = random.nextInt(INTERFACES.length);
        switch (random.nextInt(7)) {
            case 0, 1:
                return new InterfaceUp(INTERFACES[i], List.of(INTERFACE_ADDRESSES[i]), random.nextBoolean() ? 0 : 1400);
            case 2:
                return new InterfaceDown(INTERFACES[i]);
            case 3:
                return new NeighbourFailed("172.16." + random.nextInt(3) + "." + (1 + random.nextInt(12)), INTERFACES[i]);
            case 4:
                return new NeighbourReachable("172.16." + random.nextInt(3) + "." + (1 + random.nextInt(12)),
                        INTERFACES[i], "02:fe:00:00:00:0" + random.nextInt(10));
            case 5:
                int kind = random.nextInt(8);
                if (kind == 0) {
                    return new DriftObserved("ip rule add pref 99 fwmark 0x13cd lookup 5069");
                } else if (kind == 1) {
                    return random.nextBoolean() ? new ApplyFailed("ip rule add pref 99 fwmark 0x13cd lookup 5069",
                            "RTNETLINK answers: File exists", 1 + random.nextInt(6)) : new ApplyRecovered(random.nextInt(5));
                }
                return random.nextBoolean() ? new GatewaySessionUp(pick(GATEWAYS)) : new GatewaySessionDown(pick(GATEWAYS));
            default:
                return new GatewaySessionUp(pick(GATEWAYS));
        }
    }

    private Event configuration() {
        switch (random.nextInt(15)) {
            case 0:
                return new ConduitDefined(pick(CONDUITS), "");
            case 1:
                return new ConduitDeleted(pick(CONDUITS));
            case 2, 3:
                return new StreamDefined(pick(STREAMS), pick(CONDUITS), new int[] {2, 5, 10, 12, 0}[random.nextInt(5)]);
            case 4:
                return new StreamDeleted(pick(STREAMS));
            case 5, 6:
                return new VipDefined(pick(VIPS), pick(VIP_ADDRESSES));
            case 7:
                return new VipDeleted(pick(VIPS));
            case 8, 9:
                return new FlowDefined(pick(FLOWS), pick(STREAMS), random.nextInt(5),
                        random.nextInt(3) == 0 ? List.of() : List.of(random.nextBoolean() ? "tcp" : "udp"),
                        random.nextInt(3) == 0 ? List.of("10.0.0.0/8") : List.of(), List.of(),
                        random.nextBoolean() ? List.of(pick(PORTS)) : List.of(),
                        List.of(pick(VIPS)), List.of());
            case 10:
                return new FlowDeleted(pick(FLOWS));
            case 11:
                int g = random.nextInt(GATEWAYS.length);
                return new GatewayDefined(GATEWAYS[g], GATEWAY_ADDRESSES[g], "ext0",
                        random.nextBoolean() ? "static" : "bgp", false, 65001, 65002);
            case 12:
                return new GatewayDeleted(pick(GATEWAYS));
            case 13:
                return new AttractorDefined("a1", List.of(pick(VIPS)), List.of(pick(GATEWAYS)));
            default:
                return random.nextInt(4) == 0 ? new TrenchDeleted("t") : new AttractorDeleted("a1");
        }
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
