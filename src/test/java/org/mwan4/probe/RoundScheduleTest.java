package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.core.Event.ProbeRoundFinished;

/** Round timing on virtual time: boundaries, no drift, overruns, retimes. */
class RoundScheduleTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final IpAddress T1 = IpAddress.parse("203.0.113.1").orElseThrow();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "before the anchor,        100, 10, 50,  100, 100",
            "on the anchor,            100, 10, 100, 100, 110",
            "between boundaries,       100, 10, 101, 110, 110",
            "on a later boundary,      100, 10, 130, 130, 140",
            "just before a boundary,   100, 10, 139, 140, 140"})
    void boundaries(String name, long anchor, long interval, long t, long atOrAfter, long after) {
        RoundSchedule s = new RoundSchedule(anchor, interval);
        assertThat(s.boundaryAtOrAfter(t)).isEqualTo(atOrAfter);
        assertThat(s.boundaryAfter(t)).isEqualTo(after);
    }

    @Test
    void tenThousandRoundsWithRandomDurationsStartExactlyOnTheirBoundaries() {
        ManualScheduler clock = new ManualScheduler();
        SplittableRandom random = new SplittableRandom(5);
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> random.nextInt(10) == 0 ? ScriptedProber.NEVER : random.nextLong(300 * MS));
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        long start = clock.nanoTime() + 250 * MS;
        var tracking = TestTracking.of(TrackMethod.PING, T1).timeout(Duration.ofMillis(800)).interval(Duration.ofSeconds(1)).build();
        new RoundTracker("wan", Family.IPV4, tracking, prober, clock, rounds::add, start, S);
        clock.advance(Duration.ofSeconds(10_000));
        assertThat(prober.sent).hasSize(10_000);
        for (int n = 0; n < prober.sent.size(); n++) {
            assertThat(prober.sent.get(n).at()).as("round %d", n).isEqualTo(start + n * S);
        }
        assertThat(rounds).hasSize(10_000);
    }

    @Test
    void aRoundLongerThanTheIntervalSkipsTheBoundariesItCoveredAndKeepsThePhase() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> ScriptedProber.NEVER);
        long start = clock.nanoTime();
        var tracking = TestTracking.of(TrackMethod.PING, T1).timeout(Duration.ofMillis(2500)).interval(Duration.ofSeconds(1)).build();
        new RoundTracker("wan", Family.IPV4, tracking, prober, clock, e -> {}, start, S);
        clock.advance(Duration.ofMillis(9500));
        assertThat(prober.sent).extracting(x -> (x.at() - start) / MS).containsExactly(0L, 3000L, 6000L, 9000L);
    }

    @Test
    void retimeAppliesOneNewIntervalAfterTheLatestRoundStarted() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> 100 * MS);
        long start = clock.nanoTime();
        var tracking = TestTracking.of(TrackMethod.PING, T1).interval(Duration.ofSeconds(10)).build();
        RoundTracker tracker = new RoundTracker("wan", Family.IPV4, tracking, prober, clock, e -> {}, start, 10 * S);
        clock.advance(Duration.ofMillis(150)); // round 0 ran 0..100 ms
        tracker.retime(S);                      // e.g. failure_interval after a failed round
        clock.advance(Duration.ofMillis(3050));
        tracker.retime(10 * S);                 // back to the normal interval at 3.2 s
        clock.advance(Duration.ofSeconds(25));
        assertThat(prober.sent).extracting(x -> (x.at() - start) / MS).containsExactly(0L, 1000L, 2000L, 3000L, 13000L, 23000L);
    }

    @Test
    void retimeDuringARoundTakesEffectFromTheNextBoundary() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> 500 * MS);
        long start = clock.nanoTime();
        var tracking = TestTracking.of(TrackMethod.PING, T1).interval(Duration.ofSeconds(10)).build();
        RoundTracker tracker = new RoundTracker("wan", Family.IPV4, tracking, prober, clock, e -> {}, start, 10 * S);
        clock.advance(Duration.ofMillis(200)); // round 0 still waiting for its answer
        tracker.retime(2 * S);
        clock.advance(Duration.ofMillis(5000));
        assertThat(prober.sent).extracting(x -> (x.at() - start) / MS).containsExactly(0L, 2000L, 4000L);
    }

    @Test
    void retimeBeforeTheFirstRoundKeepsTheFirstDelay() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> MS);
        long start = clock.nanoTime() + 3 * S;
        var tracking = TestTracking.of(TrackMethod.PING, T1).interval(Duration.ofSeconds(10)).build();
        RoundTracker tracker = new RoundTracker("wan", Family.IPV4, tracking, prober, clock, e -> {}, start, 10 * S);
        tracker.retime(S);
        clock.advance(Duration.ofMillis(5500));
        assertThat(prober.sent).extracting(x -> (x.at() - start) / MS).containsExactly(0L, 1000L, 2000L);
    }
}
