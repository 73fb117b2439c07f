package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When route notifications stop being delivered one by one, and when snapshots replace them. Time in ms here. */
class RouteStormTest {
    private static final long MS = 1_000_000;

    private static RouteStorm storm() {
        return new RouteStorm(3, 100 * MS, 250 * MS, 0);
    }

    @Test
    void upToTheThresholdPerWindowEveryRouteIsDeliveredAndNoSnapshotIsDue() {
        RouteStorm s = storm();
        for (long t = 0; t < 1000; t += 40) { // 2.5 per 100 ms window
            assertThat(s.deliver(t * MS)).as("route at %d ms", t).isTrue();
            assertThat(s.snapshotDue(t * MS)).isFalse();
        }
        assertThat(s.storms()).isZero();
    }

    @Test
    void aBurstIsSkippedAfterTheThresholdAndSnapshotsFollowEveryIntervalThenOneAtTheEnd() {
        RouteStorm s = storm();
        assertThat(s.deliver(0)).isTrue();
        assertThat(s.deliver(1 * MS)).isTrue();
        assertThat(s.deliver(2 * MS)).isTrue();
        assertThat(s.deliver(3 * MS)).as("the fourth in the window starts the storm").isFalse();
        assertThat(s.inStorm()).isTrue();
        assertThat(s.snapshotDue(100 * MS)).as("not before the snapshot interval").isFalse();
        for (long t = 4; t < 260; t++) { // 1 per ms: the storm goes on
            assertThat(s.deliver(t * MS)).isFalse();
        }
        assertThat(s.snapshotDue(260 * MS)).isTrue();
        s.snapshotTaken(260 * MS);
        assertThat(s.snapshotDue(261 * MS)).as("nothing skipped since").isFalse();
        assertThat(s.deliver(262 * MS)).as("still a storm: the window after the snapshot starts fresh").isFalse();
        assertThat(s.snapshotDue(300 * MS)).isFalse();
        // quiet from 262 ms on: the window that started at the snapshot ends calm, the storm ends, one last snapshot
        assertThat(s.snapshotDue(370 * MS)).isTrue();
        assertThat(s.inStorm()).isFalse();
        s.snapshotTaken(370 * MS);
        assertThat(s.snapshotDue(900 * MS)).isFalse();
        assertThat(s.deliver(901 * MS)).as("one by one again").isTrue();
        assertThat(s.skippedTotal()).isEqualTo(1 + 256 + 1);
        assertThat(s.storms()).isEqualTo(1);
    }

    @Test
    void aLongGapEndsTheStormOnlyAfterTheNextWindowOfNormalLengthIsCalm() {
        RouteStorm s = storm();
        for (int i = 0; i < 10; i++) {
            s.deliver(i * MS);
        }
        assertThat(s.inStorm()).isTrue();
        assertThat(s.snapshotDue(50 * MS)).isFalse();
        // 500 ms without a look: quiet, or this thread starved while notifications queued; a periodic snapshot is due
        assertThat(s.snapshotDue(500 * MS)).isTrue();
        assertThat(s.inStorm()).as("a long window decides nothing").isTrue();
        s.snapshotTaken(500 * MS);
        for (int i = 0; i < 10; i++) { // the queued backlog: still a storm
            assertThat(s.deliver((501 + i) * MS)).isFalse();
        }
        assertThat(s.snapshotDue(620 * MS)).as("not calm, and the last snapshot is recent").isFalse();
        assertThat(s.inStorm()).isTrue();
        assertThat(s.snapshotDue(730 * MS)).as("a calm window of normal length ends it, with a last snapshot").isTrue();
        assertThat(s.inStorm()).isFalse();
    }
}
