package io.statelesslb.dataplane;

import io.statelesslb.dataplane.live.LiveTrace;
import io.statelesslb.dataplane.live.LiveTraceRequest;
import io.statelesslb.dataplane.routing.GatewaySession;
import io.statelesslb.domain.command.ObservationCommand;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import java.util.List;
import java.util.function.Consumer;

/**
 * The port every backend implements: a Linux dataplane that takes operations, says what it actually holds, tells
 * what it observes of its machine, shows itself as the Linux tools would, and follows a packet through itself.
 * Two backends implement it: the simulator ({@code dataplane-sim}) and the real kernel ({@code dataplane-nfqueue});
 * both pass {@code DataplaneContractTest}.
 *
 * <p>The controller reconciles level-triggered: it diffs what {@link #actual()} reads back against the plan and
 * hands the operations to {@link #apply}; never against what it last asked for.
 */
public interface Dataplane extends AutoCloseable {

    /** @return the backend's name, as {@code --backend} takes it: {@code sim} or {@code kernel} */
    String name();

    /** @return what the dataplane holds now, read back from it (the kernel's objects, the simulator's model) */
    DataplaneSpec actual();

    /**
     * Applies operations in order. Each is idempotent (adding what is there, or removing what is not, is done); one
     * the dataplane refuses does not stop the others. The controller calls it after every reconciliation, with no
     * operations when the dataplane already holds the plan: then the backend knows it is up to date.
     *
     * @param ops to apply, as {@code Diff.diff} ordered them
     * @return how many were applied, and each refusal in the dataplane's words
     */
    ApplyResult apply(List<Op> ops);

    /**
     * @return whether the backend observes its machine itself (the kernel's interfaces and neighbours); then
     *         observations of the machine come from {@link #observe} only and are refused from outside
     */
    boolean observesMachine();

    /**
     * Asks the machine what changed since {@code state} last observed it.
     *
     * @return the reports of what changed, to be decided and recorded; none when the state is up to date (always
     *         none for a backend that does not observe its machine)
     */
    List<ObservationCommand> observe(State state);

    /**
     * Tells the backend what the log says of its machine: a backend that does not observe its machine (the
     * simulator) follows the log instead, after each recorded observation and at a restart.
     */
    void follow(Machine machine);

    /**
     * Asks to be told, soon after, whenever the dataplane or its machine may have changed other than through
     * {@link #apply}: a rule deleted by hand, a link gone down and its routes flushed, a neighbour failing. The
     * controller then reads back and reconciles at once, instead of at its next periodic recheck. {@code changed}
     * must return quickly; it may be called from a thread of the backend's own.
     */
    void onChange(Runnable changed);

    /** @return the dataplane as the Linux tools print it, one command at a time, from what it holds */
    List<Rendering> render();

    /**
     * Follows one packet through the dataplane as it is now.
     *
     * @param packet  the packet from its IP header on
     * @param ingress the interface it arrives on, {@code local} when this host sends it, or null for where a packet
     *                from its source would arrive (the interface the replies to that source leave by)
     */
    PacketTrace trace(byte[] packet, String ingress);

    /**
     * Follows real packets live as the load balancer decides them (for the kernel, the NFQUEUE workers' packets; for
     * the simulator, those injected or traced), rate-bounded. Nothing is traced while no one follows.
     *
     * @param sink gets each packet's trace; it must return quickly and not throw (it runs on the backend's thread)
     * @return closing it stops following
     */
    AutoCloseable traceLive(LiveTraceRequest request, Consumer<LiveTrace> sink);

    /** @return each gateway session the routing daemon runs, as it reports it, in gateway-name order */
    List<GatewaySession> gatewaySessions();

    /**
     * @return what the load balancer has decided: for the kernel, every packet its NFQUEUE workers took, and the
     *         queues' drops; for the simulator, the packets injected or traced
     */
    PacketCounters counters();

    /** Releases what the backend holds (sockets, worker threads); the dataplane's objects stay as they are. */
    @Override
    void close();
}
