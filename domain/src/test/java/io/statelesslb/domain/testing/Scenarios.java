package io.statelesslb.domain.testing;

import io.statelesslb.domain.event.AttractorDefined;
import io.statelesslb.domain.event.ConduitDefined;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.FlowDefined;
import io.statelesslb.domain.event.GatewayDefined;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.StreamDefined;
import io.statelesslb.domain.event.TargetRegistered;
import io.statelesslb.domain.event.TrenchDefined;
import io.statelesslb.domain.event.VipDefined;
import io.statelesslb.domain.state.State;
import java.util.ArrayList;
import java.util.List;

/** Event histories shared by the tests of every module. */
public final class Scenarios {

    private Scenarios() {
    }

    /**
     * The seed's scenario (shared/seed/stateless-lb-frontend-dataplane.txt): trench-a, conduit-a with two
     * interfaces, stream-a-i of 100 targets, flow-a-z-tcp to port 4000 of both VIPs, two BGP gateways on
     * ext-vlan0, and targets 69, 62, 44, 73 registered in that order (so that their rules get 99, 98, 97, 96).
     */
    public static List<Event> seed() {
        List<Event> events = new ArrayList<>(seedConfiguration());
        events.add(new InterfaceUp("conduit-a--d7c4", List.of("172.16.0.4/24", "fd00::4/64"), 1400));
        events.add(new InterfaceUp("conduit-a--f75b", List.of("172.16.1.4/24", "fd00:0:0:1::4/64"), 1500));
        events.add(new GatewaySessionUp("gateway-a-v4"));
        events.add(new GatewaySessionUp("gateway-a-v6"));
        events.add(new TargetRegistered("stream-a-i", 69, List.of("172.16.0.6", "fd00::6")));
        events.add(new TargetRegistered("stream-a-i", 62, List.of("172.16.0.8", "fd00::8")));
        events.add(new TargetRegistered("stream-a-i", 44, List.of("172.16.1.6", "fd00:0:0:1::6")));
        events.add(new TargetRegistered("stream-a-i", 73, List.of("172.16.1.8", "fd00:0:0:1::8")));
        return events;
    }

    /** The configuration part of {@link #seed()}: no interfaces, sessions or targets. */
    public static List<Event> seedConfiguration() {
        return List.of(
                new TrenchDefined("trench-a"),
                new ConduitDefined("conduit-a", "conduit-a-"),
                new StreamDefined("stream-a-i", "conduit-a", 100),
                new VipDefined("vip-a-1-v4", "20.0.0.1/32"),
                new VipDefined("vip-a-1-v6", "2000::1/128"),
                new FlowDefined("flow-a-z-tcp", "stream-a-i", 1, List.of("tcp"), List.of(), List.of(),
                        List.of("4000"), List.of("vip-a-1-v4", "vip-a-1-v6"), List.of()),
                new GatewayDefined("gateway-a-v4", "169.254.100.150", "ext-vlan0", "bgp", true, 4248829953L, 8103),
                new GatewayDefined("gateway-a-v6", "100:100::150", "ext-vlan0", "bgp", true, 4248829953L, 8103),
                new AttractorDefined("attractor-a-1", List.of("vip-a-1-v4", "vip-a-1-v6"),
                        List.of("gateway-a-v4", "gateway-a-v6")));
    }

    /**
     * A trench of {@code streams} streams of {@code targetsPerStream} targets each, all active: stream-K uses
     * conduit-K (interface conduit-K-x, 10.K.0.1/16 and fd0K::1/64), targets at 10.K.0.(id) / fd0K::(id).
     */
    public static List<Event> large(int streams, int targetsPerStream) {
        List<Event> events = new ArrayList<>();
        events.add(new TrenchDefined("trench-l"));
        events.add(new VipDefined("vip-v4", "20.0.0.1/32"));
        for (int k = 0; k < streams; k++) {
            String stream = "stream-" + k;
            events.add(new ConduitDefined("conduit-" + k, "conduit-" + k + "-"));
            events.add(new StreamDefined(stream, "conduit-" + k, Math.max(100, targetsPerStream)));
            events.add(new InterfaceUp("conduit-" + k + "-x", List.of("10." + k + ".0.1/16", "fd0" + k + "::1/64"), 1500));
            events.add(new FlowDefined("flow-" + k, stream, k, List.of("tcp"), List.of(), List.of(),
                    List.of(Integer.toString(1000 + k)), List.of("vip-v4"), List.of()));
            for (int id = 1; id <= targetsPerStream; id++) {
                events.add(new TargetRegistered(stream, id, List.of(targetIpv4(k, id), targetIpv6(k, id))));
            }
        }
        return events;
    }

    /** @return the IPv4 address {@link #large} gives target {@code id} of stream {@code k} */
    public static String targetIpv4(int k, int id) {
        return "10." + k + "." + (id / 250) + "." + (id % 250 + 2);
    }

    /** @return the IPv6 address {@link #large} gives target {@code id} of stream {@code k} */
    public static String targetIpv6(int k, int id) {
        return "fd0" + k + "::" + Integer.toHexString(id + 1);
    }

    /** @return the state after folding {@code events} in order, ignoring rejections */
    public static State fold(List<? extends Event> events) {
        State state = State.empty();
        for (Event event : events) {
            state = state.apply(event);
        }
        return state;
    }
}
