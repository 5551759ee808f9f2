package io.statelesslb.domain.testing;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.command.DefineAttractor;
import io.statelesslb.domain.command.DefineConduit;
import io.statelesslb.domain.command.DefineFlow;
import io.statelesslb.domain.command.DefineGateway;
import io.statelesslb.domain.command.DefineStream;
import io.statelesslb.domain.command.DefineTrench;
import io.statelesslb.domain.command.DefineVip;
import io.statelesslb.domain.command.RegisterTarget;
import io.statelesslb.domain.command.ReportGatewaySessionUp;
import io.statelesslb.domain.command.ReportInterfaceUp;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Decision;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.state.State;
import java.util.ArrayList;
import java.util.List;

/** Command histories shared by the tests of every module, and the states they lead to. */
public final class Scenarios {

    private Scenarios() {
    }

    /**
     * The seed's scenario (shared/seed/stateless-lb-frontend-dataplane.txt): trench-a, conduit-a with two
     * interfaces, stream-a-i of 100 targets, flow-a-z-tcp to port 4000 of both VIPs, two BGP gateways on
     * ext-vlan0, and targets 69, 62, 44, 73 registered in that order (so that their rules get 99, 98, 97, 96).
     */
    public static List<Command> seed() {
        List<Command> commands = new ArrayList<>(seedConfiguration());
        commands.add(new ReportInterfaceUp("conduit-a--d7c4", List.of("172.16.0.4/24", "fd00::4/64"), 1400));
        commands.add(new ReportInterfaceUp("conduit-a--f75b", List.of("172.16.1.4/24", "fd00:0:0:1::4/64"), 1500));
        commands.add(new ReportGatewaySessionUp("gateway-a-v4"));
        commands.add(new ReportGatewaySessionUp("gateway-a-v6"));
        commands.add(new RegisterTarget("stream-a-i", 69, List.of("172.16.0.6", "fd00::6")));
        commands.add(new RegisterTarget("stream-a-i", 62, List.of("172.16.0.8", "fd00::8")));
        commands.add(new RegisterTarget("stream-a-i", 44, List.of("172.16.1.6", "fd00:0:0:1::6")));
        commands.add(new RegisterTarget("stream-a-i", 73, List.of("172.16.1.8", "fd00:0:0:1::8")));
        return commands;
    }

    /** The configuration part of {@link #seed()}: no interfaces, sessions or targets. */
    public static List<Command> seedConfiguration() {
        return List.of(
                new DefineTrench("trench-a"),
                new DefineConduit("conduit-a", "conduit-a-"),
                new DefineStream("stream-a-i", "conduit-a", 100),
                new DefineVip("vip-a-1-v4", "20.0.0.1/32"),
                new DefineVip("vip-a-1-v6", "2000::1/128"),
                new DefineFlow("flow-a-z-tcp", "stream-a-i", 1, List.of("tcp"), List.of(), List.of(),
                        List.of("4000"), List.of("vip-a-1-v4", "vip-a-1-v6"), List.of()),
                new DefineGateway("gateway-a-v4", "169.254.100.150", "ext-vlan0", "bgp", true, 4248829953L, 8103),
                new DefineGateway("gateway-a-v6", "100:100::150", "ext-vlan0", "bgp", true, 4248829953L, 8103),
                new DefineAttractor("attractor-a-1", List.of("vip-a-1-v4", "vip-a-1-v6"),
                        List.of("gateway-a-v4", "gateway-a-v6")));
    }

    /**
     * A trench of {@code streams} streams of {@code targetsPerStream} targets each, all active: stream-K uses
     * conduit-K (interface conduit-K-x, 10.K.0.1/16 and fd0K::1/64), targets at 10.K.0.(id) / fd0K::(id).
     */
    public static List<Command> large(int streams, int targetsPerStream) {
        List<Command> commands = new ArrayList<>();
        commands.add(new DefineTrench("trench-l"));
        commands.add(new DefineVip("vip-v4", "20.0.0.1/32"));
        for (int k = 0; k < streams; k++) {
            String stream = "stream-" + k;
            commands.add(new DefineConduit("conduit-" + k, "conduit-" + k + "-"));
            commands.add(new DefineStream(stream, "conduit-" + k, Math.max(100, targetsPerStream)));
            commands.add(new ReportInterfaceUp("conduit-" + k + "-x",
                    List.of("10." + k + ".0.1/16", "fd0" + k + "::1/64"), 1500));
            commands.add(new DefineFlow("flow-" + k, stream, k, List.of("tcp"), List.of(), List.of(),
                    List.of(Integer.toString(1000 + k)), List.of("vip-v4"), List.of()));
            for (int id = 1; id <= targetsPerStream; id++) {
                commands.add(new RegisterTarget(stream, id, List.of(targetIpv4(k, id), targetIpv6(k, id))));
            }
        }
        return commands;
    }

    /** @return the IPv4 address {@link #large} gives target {@code id} of stream {@code k} */
    public static String targetIpv4(int k, int id) {
        return "10." + k + "." + (id / 250) + "." + (id % 250 + 2);
    }

    /** @return the IPv6 address {@link #large} gives target {@code id} of stream {@code k} */
    public static String targetIpv6(int k, int id) {
        return "fd0" + k + "::" + Integer.toHexString(id + 1);
    }

    /** @return the state after deciding and evolving {@code commands} in order, skipping the rejected ones */
    public static State fold(List<? extends Command> commands) {
        State state = State.empty();
        for (Command command : commands) {
            state = after(state, command);
        }
        return state;
    }

    /** @return {@code state} after each command's event in turn, skipping the rejected ones */
    public static State after(State state, Command... commands) {
        State next = state;
        for (Command command : commands) {
            if (Decider.decide(next, command) instanceof Decision.Accepted accepted) {
                next = next.evolve(accepted.event());
            }
        }
        return next;
    }

    /** @return the event {@code command} is decided into against {@code state}; fails the test when rejected */
    public static Event event(State state, Command command) {
        return Decider.decide(state, command).fold(problems -> {
            throw new AssertionError(command + " rejected: " + problems.mkString("; "));
        }, event -> event);
    }
}
