package io.statelesslb.dataplane.routing;

import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.command.ReportGatewaySessionDown;
import io.statelesslb.domain.command.ReportGatewaySessionUp;
import io.statelesslb.domain.command.ReportRoutingDaemonRestart;
import io.statelesslb.domain.state.State;
import java.util.ArrayList;
import java.util.List;

/** What a routing daemon reports that the controller's state does not hold yet: restarts, then sessions' changes. */
public final class GatewayObservations {

    private GatewayObservations() {
    }

    /**
     * @param state   what the controller holds
     * @param routing the daemon to ask
     * @return a report per restart since the last call, and one per gateway whose session the state has otherwise
     *         (or never heard of); nothing for gateways the state no longer has
     */
    public static List<ObservationCommand> of(State state, RoutingDaemon routing) {
        List<ObservationCommand> reports = new ArrayList<>();
        routing.incidents().forEach(reason -> reports.add(new ReportRoutingDaemonRestart(reason)));
        for (GatewaySession session : routing.sessions()) {
            if (state.gateways().containsKey(session.gateway())
                    && !state.gatewaySessions().get(session.gateway()).contains(session.up())) {
                reports.add(session.up() ? new ReportGatewaySessionUp(session.gateway())
                        : new ReportGatewaySessionDown(session.gateway()));
            }
        }
        return reports;
    }
}
