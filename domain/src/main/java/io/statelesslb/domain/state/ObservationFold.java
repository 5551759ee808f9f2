package io.statelesslb.domain.state;

import io.statelesslb.domain.event.ApplyFailed;
import io.statelesslb.domain.event.ApplyRecovered;
import io.statelesslb.domain.event.DriftObserved;
import io.statelesslb.domain.event.GatewaySessionDown;
import io.statelesslb.domain.event.GatewaySessionUp;
import io.statelesslb.domain.event.InterfaceDown;
import io.statelesslb.domain.event.InterfaceUp;
import io.statelesslb.domain.event.NeighbourFailed;
import io.statelesslb.domain.event.NeighbourReachable;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.model.Neighbour;
import io.statelesslb.domain.model.NeighbourState;
import io.statelesslb.domain.model.NetworkInterface;
import io.statelesslb.domain.net.Cidr;
import io.statelesslb.domain.net.IpAddress;
import io.vavr.collection.SortedSet;
import io.vavr.collection.TreeSet;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The fold of observations from the kernel and the gateway daemon. Observations need no trench: they describe the
 * machine, which exists before any configuration.
 */
final class ObservationFold {

    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private ObservationFold() {
    }

    static Outcome fold(State state, ObservationEvent event) {
        Problems problems = new Problems();
        if (event instanceof InterfaceUp e) {
            problems.interfaceName("name", e.name());
            SortedSet<Cidr> addresses = problems.parseSet("addresses", e.addresses(), Cidr::parse);
            if (e.mtu() != 0) {
                problems.range("mtu", e.mtu(), 68, 65535, ", or 0 when unknown");
            }
            if (problems.any()) {
                return problems.rejected();
            }
            int mtu = e.mtu() != 0 ? e.mtu()
                    : state.interfaces().get(e.name()).map(NetworkInterface::mtu).getOrElse(NetworkInterface.DEFAULT_MTU);
            NetworkInterface up = new NetworkInterface(e.name(), true, addresses, mtu);
            return Fold.changed(problems, state, state.withInterfaces(state.interfaces().put(e.name(), up)));
        } else if (event instanceof InterfaceDown e) {
            problems.interfaceName("name", e.name());
            if (problems.any()) {
                return problems.rejected();
            }
            // The kernel keeps a downed interface's addresses; so does the state.
            NetworkInterface down = state.interfaces().get(e.name())
                    .map(held -> new NetworkInterface(held.name(), false, held.addresses(), held.mtu()))
                    .getOrElse(() -> new NetworkInterface(e.name(), false, TreeSet.empty(), NetworkInterface.DEFAULT_MTU));
            return Fold.changed(problems, state, state.withInterfaces(state.interfaces().put(e.name(), down)));
        } else if (event instanceof NeighbourReachable e) {
            Option<IpAddress> address = problems.parse("address", e.address(), IpAddress::parse);
            problems.interfaceName("interfaceName", e.interfaceName());
            Option<String> mac = problems.parse("mac", e.mac(), ObservationFold::mac);
            return neighbour(state, problems, address, e.interfaceName(), NeighbourState.REACHABLE, mac.getOrElse(""));
        } else if (event instanceof NeighbourFailed e) {
            Option<IpAddress> address = problems.parse("address", e.address(), IpAddress::parse);
            problems.interfaceName("interfaceName", e.interfaceName());
            return neighbour(state, problems, address, e.interfaceName(), NeighbourState.FAILED, "");
        } else if (event instanceof DriftObserved e) {
            if (e.repair() == null || e.repair().isBlank()) {
                problems.add(ProblemKind.MISSING, "repair", "repair is required (expected: the operation that"
                        + " undoes the drift)");
            }
            // The state describes what should be; drift is about the kernel, which the next reconcile repairs.
            return problems.outcome(state);
        } else if (event instanceof ApplyFailed e) {
            if (e.operation() == null || e.operation().isBlank()) {
                problems.add(ProblemKind.MISSING, "operation", "operation is required (expected: the operation the"
                        + " dataplane refused)");
            }
            if (e.error() == null || e.error().isBlank()) {
                problems.add(ProblemKind.MISSING, "error", "error is required (expected: the dataplane's message)");
            }
            if (e.attempts() < 1) {
                problems.add(ProblemKind.OUT_OF_RANGE, "attempts", "attempts=" + e.attempts() + " (expected: >= 1)");
            }
            // Like drift, apply outcomes are about the kernel: the desired state stays as it is.
            return problems.outcome(state);
        } else if (event instanceof ApplyRecovered e) {
            if (e.operations() < 0) {
                problems.add(ProblemKind.OUT_OF_RANGE, "operations", "operations=" + e.operations() + " (expected: >= 0)");
            }
            return problems.outcome(state);
        } else if (event instanceof GatewaySessionUp e) {
            return session(state, problems, e.gateway(), true);
        }
        return session(state, problems, ((GatewaySessionDown) event).gateway(), false);
    }

    private static Outcome neighbour(State state, Problems problems, Option<IpAddress> address, String interfaceName,
                                     NeighbourState neighbourState, String mac) {
        if (problems.any()) {
            return problems.rejected();
        }
        Neighbour neighbour = new Neighbour(address.get(), interfaceName, neighbourState, mac);
        return Fold.changed(problems, state, state.withNeighbours(state.neighbours().put(address.get(), neighbour)));
    }

    private static Outcome session(State state, Problems problems, String gateway, boolean up) {
        ConfigurationFold.known(problems, "gateway", "gateway", gateway, state.gateways());
        if (problems.any()) {
            return problems.rejected();
        }
        return Fold.changed(problems, state,
                state.withGateways(state.gateways(), state.gatewaySessions().put(gateway, up)));
    }

    private static Either<String, String> mac(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return MAC.matcher(lower).matches()
                ? Either.right(lower)
                : Either.left("mac=" + text + " (expected: six colon-separated hex octets, such as 02:fe:c2:14:ec:dd)");
    }
}
