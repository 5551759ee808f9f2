package io.statelesslb.daemon.backend;

import io.statelesslb.dataplane.Dataplane;
import io.statelesslb.domain.event.ObservationEvent;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.state.State;
import io.statelesslb.sim.PacketTrace;
import java.util.List;

/** Where the daemon's plans are applied and how it shows and traces what is there: the simulator or the kernel. */
public interface Backend extends AutoCloseable {

    /** @return the backend's name, as {@code --backend} takes it */
    String name();

    /** @return the dataplane the pipeline applies operations to */
    Dataplane dataplane();

    /** @return whether observations (interfaces, neighbours, gateway sessions) may be submitted through the API */
    boolean acceptsObservations();

    /**
     * Tells the backend what was observed, as recorded in the log. The simulator's machine follows these events
     * (it has no kernel to ask); a kernel backend, which is the source of observations, ignores them.
     */
    void observed(ObservationEvent event);

    /** Brings what the backend models of the machine to what {@code state} recorded (after a restart). */
    void restore(State state);

    /**
     * Asks the machine what changed since {@code state} last observed it; only a backend that observes the
     * machine itself ({@link #acceptsObservations()} false) has anything to say.
     *
     * @return the observation events to submit, none when the state is up to date
     */
    default List<ObservationEvent> observe(State state) {
        return List.of();
    }

    /** @return packets the dataplane has decided itself (NFQUEUE verdicts); 0 for one that only traces */
    default long packetsDecided() {
        return 0;
    }

    /** @return the applied dataplane as the Linux tools print it, one command at a time */
    List<Rendering> render(DataplaneSpec applied);

    /**
     * Follows one packet through the dataplane as it is now.
     *
     * @param ingress the interface it arrives on, or {@code local} when this host sends it
     */
    PacketTrace trace(byte[] packet, String ingress);

    /** Releases what the backend holds (sockets, worker threads); the dataplane itself stays as it is. */
    @Override
    default void close() {
    }
}
