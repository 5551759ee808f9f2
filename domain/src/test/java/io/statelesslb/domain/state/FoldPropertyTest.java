package io.statelesslb.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.domain.event.Event;
import io.statelesslb.domain.model.Attractor;
import io.statelesslb.domain.model.Flow;
import io.statelesslb.domain.model.Stream;
import io.statelesslb.domain.model.Target;
import io.statelesslb.domain.testing.RandomEvents;
import io.vavr.collection.TreeSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class FoldPropertyTest {

    @Property(tries = 200, seed = "20261126")
    void sameEventsGiveEqualStates(@ForAll long seed) {
        List<Event> events = new RandomEvents(seed).next(300);
        State first = State.empty();
        State second = State.empty();
        for (Event event : events) {
            first = first.apply(event);
        }
        for (Event event : events) {
            second = second.apply(event);
        }
        assertThat(second).isEqualTo(first);
    }

    @Property(tries = 200, seed = "20261126")
    void everyReachableStateKeepsItsInvariants(@ForAll long seed) {
        State state = State.empty();
        for (Event event : new RandomEvents(seed).next(400)) {
            Outcome outcome = state.fold(event);
            if (outcome instanceof Outcome.Rejected rejected) {
                assertThat(rejected.problems()).isNotEmpty();
                assertThat(state.apply(event)).isSameAs(state);
            } else {
                state = ((Outcome.Accepted) outcome).state();
            }
            assertInvariants(state);
        }
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
            assertThat(flow.protocols().isEmpty() && !(flow.sourcePorts().isEmpty() && flow.destinationPorts().isEmpty()))
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
