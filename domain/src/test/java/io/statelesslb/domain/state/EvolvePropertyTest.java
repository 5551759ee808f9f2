package io.statelesslb.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.command.Command;
import io.statelesslb.domain.decide.Decider;
import io.statelesslb.domain.decide.Decision;
import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.plan.Planner;
import io.statelesslb.domain.testing.RandomCommands;
import io.vavr.collection.TreeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random command histories, valid and invalid mixed, decided and evolved: the same commands give the same states,
 * every reachable state keeps its invariants, the recorded events alone rebuild it (a replay never decides again),
 * and evolve is total: events taken out of their history change some state without ever failing.
 */
class EvolvePropertyTest {

    /** @return the events {@code commands} are decided into, one after the other, skipping the rejected ones */
    private static List<Event> decided(List<Command> commands) {
        List<Event> events = new ArrayList<>();
        State state = State.empty();
        for (Command command : commands) {
            Optional<Event> event = Decider.decide(state, command).fold(problems -> {
                assertThat(problems).as("a rejection's problems").isNotEmpty();
                return Optional.empty();
            }, Optional::of);
            if (event.isPresent()) {
                events.add(event.get());
                state = state.evolve(event.get());
            }
        }
        return events;
    }

    private static State replay(List<Event> events) {
        State state = State.empty();
        for (Event event : events) {
            state = state.evolve(event);
        }
        return state;
    }

    @Property(tries = 200, seed = "20261126")
    void sameCommandsGiveEqualStates(@ForAll long seed) {
        List<Command> commands = new RandomCommands(seed).next(300);
        assertThat(replay(decided(commands))).isEqualTo(replay(decided(commands)));
    }

    @Property(tries = 200, seed = "20261126")
    void everyReachableStateKeepsItsInvariants(@ForAll long seed) {
        State state = State.empty();
        for (Event event : decided(new RandomCommands(seed).next(400))) {
            state = state.evolve(event);
            assertInvariants(state);
        }
    }

    @Property(tries = 100, seed = "20261126")
    void theRecordedEventsAloneRebuildTheState(@ForAll long seed) {
        List<Command> commands = new RandomCommands(seed).next(300);
        State decidedAlongTheWay = State.empty();
        for (Command command : commands) {
            if (Decider.decide(decidedAlongTheWay, command) instanceof Decision.Accepted accepted) {
                decidedAlongTheWay = decidedAlongTheWay.evolve(accepted.event());
            }
        }
        assertThat(replay(decided(commands))).isEqualTo(decidedAlongTheWay);
    }

    @Property(tries = 100, seed = "20261126")
    void evolveIsTotalEvenForEventsOutOfTheirHistory(@ForAll long seed) {
        List<Event> events = decided(new RandomCommands(seed).next(300));
        List<Event> shuffled = new ArrayList<>(events);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        State state = replay(shuffled);
        // Whatever state that gives can be planned too.
        assertThat(Planner.plan(state)).isNotNull();
    }

    private static void assertInvariants(State state) {
        for (Stream stream : state.streams().values()) {
            assertThat(state.conduits().containsKey(stream.conduit())).isTrue();
            assertThat(state.fwmarkOffsets().containsKey(stream.name())).isTrue();
        }
        assertThat(state.fwmarkOffsets().keySet()).isEqualTo(state.streams().keySet());
        for (Flow flow : state.flows().values()) {
            assertThat(state.streams().containsKey(flow.stream())).isTrue();
            assertThat(flow.vips().forAll(state.vips()::containsKey)).isTrue();
            assertThat(flow.protocols().isEmpty()
                    && !(flow.sourcePorts().isEmpty() && flow.destinationPorts().isEmpty()))
                    .isFalse();
        }
        for (Attractor attractor : state.attractors().values()) {
            assertThat(attractor.vips().forAll(state.vips()::containsKey)).isTrue();
            assertThat(attractor.gateways().forAll(state.gateways()::containsKey)).isTrue();
        }
        // Fwmark ranges never overlap.
        var ranges = state.fwmarkOffsets().map(held -> new int[] {held._2 + 1,
                held._2 + state.streams().get(held._1).get().maxTargets()}).toList().sortBy(r -> r[0]);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isGreaterThan(ranges.get(i - 1)[1]);
        }
        var priorities = TreeSet.<Integer>empty();
        var owners = io.vavr.collection.TreeMap.<TargetAddress, Integer>empty();
        for (var byStream : state.targets()) {
            assertThat(byStream._2).isNotEmpty();
            Stream stream = state.streams().get(byStream._1).get();
            for (Target target : byStream._2.values()) {
                assertThat(target.identifier()).isBetween(1, stream.maxTargets());
                assertThat(target.ips()).isNotEmpty();
                assertThat(priorities.contains(target.rulePriority())).isFalse();
                assertThat(target.rulePriority()).isBetween(1, 32765).isNotEqualTo(100);
                priorities = priorities.add(target.rulePriority());
                for (var ip : target.ips()) {
                    owners = owners.put(new TargetAddress(target.stream(), ip), target.identifier());
                }
            }
            // No address is held by two targets of a stream.
            assertThat(byStream._2.values().flatMap(Target::ips).distinct().size())
                    .isEqualTo(byStream._2.values().map(t -> t.ips().size()).sum().intValue());
        }
        assertThat(state.rulePriorities()).isEqualTo(priorities.filter(p -> p < 100));
        assertThat(state.addressOwners()).isEqualTo(owners);
        if (state.trench().isEmpty()) {
            assertThat(state.conduits().isEmpty() && state.vips().isEmpty() && state.gateways().isEmpty()).isTrue();
        }
    }
}
