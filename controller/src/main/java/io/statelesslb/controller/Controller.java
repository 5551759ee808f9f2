package io.statelesslb.controller;

import io.statelesslb.controller.feed.EventFeed;
import io.statelesslb.controller.pipeline.ChangeSource;
import io.statelesslb.controller.pipeline.Pipeline;
import io.statelesslb.controller.store.Submission;
import io.statelesslb.dataplane.PacketCounters;
import io.statelesslb.dataplane.PacketTrace;
import io.statelesslb.dataplane.Rendering;
import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * What the HTTP API and the CLI's offline commands may ask of the controller of a trench: its state, to decide a
 * command, to wait until the dataplane has caught up, the recorded events, its status, and read-only views of the
 * dataplane. {@link TrenchController} is the one implementation.
 */
public interface Controller {

    /** @return the state after every acknowledged event */
    State state();

    /**
     * Decides a command and, when it is accepted, records its event durably and reconciles the dataplane.
     *
     * @param source who asks, in words, for the log line each recorded change gets: an API client's address, a
     *               configuration file, the kernel
     * @return the recorded event and the state after it, or the rejection with every problem; an error
     *         ({@code PipelineRefusedException}) when the controller is too busy or closing
     */
    Mono<Submission> submit(Command command, String source);

    /** {@link #submit(Command, String)} from whoever claims facts of the command's kind (the kernel, an operator). */
    default Mono<Submission> submit(Command command) {
        return submit(command, ChangeSource.of(command));
    }

    /**
     * Submits commands one after the other, each waiting for the one before, stopping at the first that is not
     * recorded.
     *
     * @return each command's answer, the last one refused when one was
     */
    List<Submission> submitAll(List<Command> commands, String source);

    /** @return completes when the dataplane matches the plan of a state at or after {@code sequence} */
    Mono<Pipeline.Report> applied(long sequence);

    /** @return the recorded events, for listing and watching */
    EventFeed feed();

    /** @return where the controller is: its sequence, the dataplane's, readiness and health */
    ControllerStatus status();

    /** @return what the dataplane holds now, read back from it */
    DataplaneSpec actual();

    /** @return the dataplane as the Linux tools print it */
    List<Rendering> render();

    /** @return each gateway session the routing daemon runs, as it reports it */
    List<GatewaySession> gatewaySessions();

    /** @return what the load balancer has decided, summed over its threads, and what its queues dropped */
    PacketCounters counters();

    /**
     * Follows one packet through the dataplane as it is now.
     *
     * @param ingress the interface it arrives on, {@code local} when this host sends it, or null for where a client's
     *                packets arrive
     */
    PacketTrace trace(byte[] packet, String ingress);

    /**
     * Follows the real packets the load balancer decides, live and rate-bounded.
     *
     * @param sink gets each packet's trace on the backend's thread; it must return quickly and not throw
     * @return closing it stops following
     */
    AutoCloseable traceLive(LiveTraceRequest request, Consumer<LiveTrace> sink);

    /**
     * @return whether observations of the machine (interfaces, neighbours) may be submitted from outside: not when
     *         the backend observes its machine itself
     */
    boolean acceptsMachineObservations();
}
