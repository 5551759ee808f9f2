package io.statelesslb.controller.replay;

import io.statelesslb.api.codec.EventCodec;
import io.statelesslb.domain.diff.Diff;
import io.statelesslb.domain.diff.Op;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.event.RecordedEvent;
import io.statelesslb.domain.plan.DataplaneSpec;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.state.State;
import io.statelesslb.eventlog.stream.StreamRecord;
import io.vavr.control.Option;
import java.time.Instant;
import java.util.List;

/**
 * Rebuilds everything from logged records, deterministically: the state (each event evolved, none decided again),
 * and, when asked, for every event the operations it caused (plan, then diff against the previous plan). The same
 * records always give the same result; a record that does not decode to an event is corruption.
 */
public final class Replay {

    /** Receives each replayed event with the ops it caused. */
    @FunctionalInterface
    public interface Step {
        void replayed(RecordedEvent event, List<Op> ops);
    }

    private final long until;
    private final Step step;
    private final String instance;
    private final Planner planner;
    private State state;
    private DataplaneSpec spec = DataplaneSpec.empty();
    private long sequence;

    /**
     * @param until the last sequence to replay ({@link Long#MAX_VALUE} for all)
     * @param step  told of every replayed event with the ops it caused, or null to skip planning per event
     */
    public Replay(long until, Step step) {
        this(State.empty(), 0, until, step);
    }

    /**
     * Replays from a snapshot: the records that follow it are folded into its state.
     *
     * @param start         the snapshot's state
     * @param startSequence the snapshot's sequence
     */
    public Replay(State start, long startSequence, long until, Step step) {
        this(start, startSequence, until, step, null);
    }

    /**
     * Replays from a snapshot, as the instance {@code instance} of a trench folds its stream: the trench's facts and
     * its own observations, not another instance's.
     *
     * @param instance the instance (null: the trench's facts, and the records of a local log, which name none)
     */
    public Replay(State start, long startSequence, long until, Step step, String instance) {
        this.state = start;
        this.sequence = startSequence;
        this.until = until;
        this.step = step;
        this.instance = instance;
        this.planner = new Planner(Option.of(instance));
    }

    /** Replays one record; records after {@code until} are ignored. */
    public void accept(StreamRecord record) {
        if (record.sequence() > until) {
            return;
        }
        EventCodec.Stored stored = record.stored();
        Event event = stored.event();
        sequence = record.sequence();
        if (stored.instance() != null && !stored.instance().equals(instance)) {
            // Another instance's view of its machine: in the stream for the audit, not in this state.
            return;
        }
        state = state.evolve(event);
        if (step != null) {
            DataplaneSpec next = planner.next(state);
            List<Op> ops = Diff.diff(spec, next);
            spec = next;
            step.replayed(new RecordedEvent(record.sequence(), Instant.ofEpochMilli(record.timestampMillis()), event,
                    stored.source(), stored.instance()), ops);
        }
    }

    /** @return the state after the last replayed event */
    public State state() {
        return state;
    }

    /** @return the plan of {@link #state()} */
    public DataplaneSpec plan() {
        return planner.next(state);
    }

    /** @return the sequence of the last replayed event (0 when none) */
    public long sequence() {
        return sequence;
    }
}
