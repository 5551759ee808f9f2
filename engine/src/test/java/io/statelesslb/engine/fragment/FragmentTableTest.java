package io.statelesslb.engine.fragment;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import org.junit.jupiter.api.Test;

class FragmentTableTest {

    private static final long TTL = 200_000_000L;

    private final PacketKey key = new PacketKey();
    private final FragmentTable table = new FragmentTable(64, 4, 1500, TTL);

    private PacketKey keyOf(byte[] packet, boolean ipv6) {
        KeyExtractor.extract(packet, 0, packet.length, ipv6, 0, key);
        return key;
    }

    @Test
    void laterFragmentsFollowTheFirstFragmentsDecision() {
        byte[] first = Fragments.ipv4(7, 0x1234, 0, true, 1480);
        assertThat(keyOf(first, false).result()).isEqualTo(KeyResult.FIRST_FRAGMENT);
        assertThat(table.first(key, 5044, 0)).isTrue();
        byte[] second = Fragments.ipv4(7, 0x1234, 185, true, 1480);
        assertThat(keyOf(second, false).result()).isEqualTo(KeyResult.LATER_FRAGMENT);
        assertThat(table.later(key, second, 0, second.length, 0L, 1_000)).isEqualTo(5044);
        byte[] otherDatagram = Fragments.ipv4(7, 0x1235, 185, false, 100);
        assertThat(table.later(keyOf(otherDatagram, false), otherDatagram, 0, otherDatagram.length, 0L, 1_000))
                .isEqualTo(FragmentTable.HELD);
    }

    @Test
    void fragmentsBeforeTheFirstAreHeldAndReleasedWhenItArrives() {
        byte[] third = Fragments.ipv4(9, 77, 370, false, 300);
        byte[] second = Fragments.ipv4(9, 77, 185, true, 1480);
        assertThat(table.later(keyOf(third, false), third, 0, third.length, 0L, 0)).isEqualTo(FragmentTable.HELD);
        assertThat(table.later(keyOf(second, false), second, 0, second.length, 0L, 10)).isEqualTo(FragmentTable.HELD);
        assertThat(table.heldCount()).isEqualTo(2);
        byte[] first = Fragments.ipv4(9, 77, 0, true, 1480);
        assertThat(table.first(keyOf(first, false), 5062, 20)).isTrue();
        assertThat(table.releasedCount()).isEqualTo(2);
        byte[] copy = new byte[1500];
        int length = table.copyReleased(0, copy, 0);
        assertThat(java.util.Arrays.copyOf(copy, length)).isIn(second, third);
        assertThat(table.later(keyOf(second, false), second, 0, second.length, 0L, 30)).isEqualTo(5062);
        assertThat(table.heldCount()).as("released slots are free again after the next call").isZero();
    }

    @Test
    void aLostFirstFragmentsHeldFragmentsExpireAndFreeThePool() {
        for (int id = 0; id < 4; id++) {
            byte[] later = Fragments.ipv4(3, id, 185, false, 100);
            assertThat(table.later(keyOf(later, false), later, 0, later.length, 0L, 0)).isEqualTo(FragmentTable.HELD);
        }
        byte[] oneMore = Fragments.ipv4(3, 99, 185, false, 100);
        assertThat(table.later(keyOf(oneMore, false), oneMore, 0, oneMore.length, 0L, 0))
                .as("pool exhausted").isEqualTo(FragmentTable.DROPPED);
        // After the TTL the waiting datagrams are reclaimed as new ones need their places.
        for (int id = 100; id < 104; id++) {
            byte[] later = Fragments.ipv4(3, id, 185, false, 100);
            assertThat(table.later(keyOf(later, false), later, 0, later.length, 0L, TTL + 1))
                    .isEqualTo(FragmentTable.HELD);
        }
    }

    @Test
    void aHeldFragmentComesBackUnderItsTagWhenReleasedOrExpired() {
        byte[] released = Fragments.ipv4(9, 77, 185, false, 300);
        byte[] abandoned = Fragments.ipv4(9, 78, 185, false, 300);
        assertThat(table.later(keyOf(released, false), released, 0, released.length, 41L, 0))
                .isEqualTo(FragmentTable.HELD);
        assertThat(table.later(keyOf(abandoned, false), abandoned, 0, abandoned.length, 42L, 0))
                .isEqualTo(FragmentTable.HELD);
        byte[] first = Fragments.ipv4(9, 77, 0, true, 1480);
        table.first(keyOf(first, false), 5062, 10);
        assertThat(table.releasedCount()).isEqualTo(1);
        assertThat(table.releasedTag(0)).as("the kernel's packet to let go with 5062").isEqualTo(41L);
        table.expire(TTL - 1);
        assertThat(table.expiredCount()).as("not yet expired").isZero();
        table.expire(TTL - 1 + TTL / 4);
        assertThat(table.expiredCount()).as("expired, at the next sweep a quarter TTL later").isEqualTo(1);
        assertThat(table.expiredTag(0)).as("the kernel's packet to drop").isEqualTo(42L);
        table.clearExpired();
        assertThat(table.expiredCount()).isZero();
        assertThat(table.heldCount()).isZero();
    }

    @Test
    void aDecisionExpiresAfterTheTtl() {
        byte[] first = Fragments.ipv4(5, 42, 0, true, 1480);
        table.first(keyOf(first, false), 5073, 0);
        byte[] later = Fragments.ipv4(5, 42, 185, false, 100);
        assertThat(table.later(keyOf(later, false), later, 0, later.length, 0L, TTL - 1)).isEqualTo(5073);
        assertThat(table.later(keyOf(later, false), later, 0, later.length, 0L, TTL)).isEqualTo(FragmentTable.HELD);
    }

    @Test
    void tooLargeFragmentsAreNotHeld() {
        FragmentTable small = new FragmentTable(16, 2, 100, TTL);
        byte[] later = Fragments.ipv4(5, 42, 185, false, 200);
        assertThat(small.later(keyOf(later, false), later, 0, later.length, 0L, 0)).isEqualTo(FragmentTable.DROPPED);
    }

    @Test
    void ipv6FragmentsAreTrackedByTheirFourByteId() {
        byte[] first = Fragments.ipv6(1, 0x0A0B0C0D, 0, true, 64);
        assertThat(keyOf(first, true).result()).isEqualTo(KeyResult.FIRST_FRAGMENT);
        table.first(key, 5069, 0);
        byte[] later = Fragments.ipv6(1, 0x0A0B0C0D, 8, false, 64);
        assertThat(keyOf(later, true).result()).isEqualTo(KeyResult.LATER_FRAGMENT);
        assertThat(table.later(key, later, 0, later.length, 0L, 5)).isEqualTo(5069);
        byte[] otherId = Fragments.ipv6(1, 0x0A0B0C0E, 8, false, 64);
        assertThat(table.later(keyOf(otherId, true), otherId, 0, otherId.length, 0L, 5)).isEqualTo(FragmentTable.HELD);
    }

    @Test
    void manyDatagramsNeverCutAProbePath() {
        FragmentTable big = new FragmentTable(1024, 0, 1500, TTL);
        int stored = 0;
        for (int id = 0; id < 600; id++) {
            byte[] first = Fragments.ipv4(id % 250, id, 0, true, 100);
            if (big.first(keyOf(first, false), 5000 + (id % 100), 0)) {
                stored++;
            }
        }
        assertThat(stored).isGreaterThan(590);
        int found = 0;
        for (int id = 0; id < 600; id++) {
            byte[] later = Fragments.ipv4(id % 250, id, 185, false, 100);
            if (big.later(keyOf(later, false), later, 0, later.length, 0L, 1) == 5000 + (id % 100)) {
                found++;
            }
        }
        assertThat(found).isEqualTo(stored);
    }
}
