package io.statelesslb.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statelesslb.domain.command.JoinTier;
import io.statelesslb.domain.state.State;
import io.statelesslb.domain.testing.RandomCommands;
import io.statelesslb.domain.testing.Scenarios;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

    @Property(tries = 100, seed = "20261126")
    void anyReachableStateRoundTripsExactly(@ForAll long seed) {
        State state = Scenarios.fold(new RandomCommands(seed).next(300));
        SnapshotCodec.Snapshot decoded = SnapshotCodec.decode(SnapshotCodec.encode(42, state));
        assertThat(decoded.sequence()).isEqualTo(42);
        assertThat(decoded.state()).isEqualTo(state);
    }

    @Test
    void seedStateRoundTripsWithItsAllocations() {
        State seed = Scenarios.fold(Scenarios.seed());
        State decoded = SnapshotCodec.decode(SnapshotCodec.encode(17, seed)).state();
        assertThat(decoded).isEqualTo(seed);
        assertThat(decoded.target("stream-a-i", 73).get().rulePriority()).isEqualTo(96);
    }

    @Test
    void theTiersInstancesRoundTripAndASnapshotFromBeforeTheTierHasNone() {
        State tier = Scenarios.after(Scenarios.fold(Scenarios.seed()),
                new JoinTier("lb-1", "169.254.100.1", "ext-vlan0"), new JoinTier("lb-2", "fd00::2", "eth1"));
        State decoded = SnapshotCodec.decode(SnapshotCodec.encode(5, tier)).state();
        assertThat(decoded).isEqualTo(tier);
        assertThat(decoded.instances().get("lb-2").get().identifier()).isEqualTo(2);
        String json = new String(SnapshotCodec.encode(5, Scenarios.fold(Scenarios.seed())), StandardCharsets.UTF_8);
        String before = json.replace(",\"instances\":[]", "");
        assertThat(before).isNotEqualTo(json);
        assertThat(SnapshotCodec.decode(before.getBytes(StandardCharsets.UTF_8)).state().instances()).isEmpty();
    }

    @Test
    void encodingIsDeterministic() {
        State seed = Scenarios.fold(Scenarios.seed());
        assertThat(SnapshotCodec.encode(1, seed)).isEqualTo(SnapshotCodec.encode(1, Scenarios.fold(Scenarios.seed())));
    }

    @Test
    void otherVersionsAndInvalidValuesAreRefused() {
        String json = new String(SnapshotCodec.encode(3, Scenarios.fold(Scenarios.seed())), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SnapshotCodec.decode(json.replace("\"version\":1", "\"version\":2")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CodecException.class).hasMessage("snapshot version=2 (expected: 1)");
        assertThatThrownBy(() -> SnapshotCodec.decode(json.replace("20.0.0.1/32", "20.0.0.1/99")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CodecException.class).hasMessageContaining("cidr=20.0.0.1/99");
    }
}
