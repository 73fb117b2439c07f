package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.Event.TargetStatus.DOWN;
import static org.mwan4.core.Event.TargetStatus.SKIPPED;
import static org.mwan4.core.Event.TargetStatus.UP;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetStatus;

/** One mwan3-style round on virtual time: parallel targets, reliability, timeouts, count and loss. */
class RoundTrackerTest {
    private static final long MS = 1_000_000L;
    private static final IpAddress A = IpAddress.parse("203.0.113.1").orElseThrow();
    private static final IpAddress B = IpAddress.parse("203.0.113.2").orElseThrow();
    private static final IpAddress C = IpAddress.parse("203.0.113.3").orElseThrow();

    record Case(String name, Map<IpAddress, Long> answerMs, int reliability, List<TargetStatus> statuses, long endsAtMs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        long never = ScriptedProber.NEVER;
        return Stream.of(
                new Case("all answer, reliability 1: first answer ends the round", Map.of(A, 30L, B, 10L, C, 20L), 1,
                        List.of(SKIPPED, UP, SKIPPED), 10),
                new Case("reliability 2 waits for the second answer", Map.of(A, 30L, B, 10L, C, 20L), 2,
                        List.of(SKIPPED, UP, UP), 20),
                new Case("a dead target does not hold up the round", Map.of(A, never, B, 15L, C, 40L), 2,
                        List.of(SKIPPED, UP, UP), 40),
                new Case("not enough answers: the round ends at the timeout", Map.of(A, never, B, 15L, C, never), 2,
                        List.of(DOWN, UP, DOWN), 800),
                new Case("all dead", Map.of(A, never, B, never, C, never), 1,
                        List.of(DOWN, DOWN, DOWN), 800),
                new Case("refused counts at once", Map.of(A, ScriptedProber.REFUSED, B, ScriptedProber.REFUSED, C, ScriptedProber.REFUSED), 1,
                        List.of(DOWN, DOWN, DOWN), 0),
                new Case("reliability above the target count: everyone is waited for", Map.of(A, 5L, B, 6L, C, 7L), 5,
                        List.of(UP, UP, UP), 7));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundOutcome(Case c) {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> {
            long ms = c.answerMs().get(t);
            return ms < 0 ? ms : ms * MS;
        });
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        var tracking = TestTracking.of(TrackMethod.PING, A, B, C).reliability(c.reliability())
                .timeout(Duration.ofMillis(800)).interval(Duration.ofSeconds(10)).build();
        long start = clock.nanoTime();
        new RoundTracker("wan", Family.IPV4, tracking, prober, clock, rounds::add, start, 10_000 * MS);
        if (c.endsAtMs() > 0) {
            clock.advance(Duration.ofMillis(c.endsAtMs() - 1));
            assertThat(rounds).as("still running 1 ms before the end").isEmpty();
            clock.advance(Duration.ofMillis(1));
        } else {
            clock.advance(Duration.ZERO);
        }
        assertThat(rounds).hasSize(1);
        ProbeRoundFinished r = rounds.get(0);
        assertThat(r.iface()).isEqualTo("wan");
        assertThat(r.at()).isEqualTo(ManualScheduler.EPOCH.plusMillis(c.endsAtMs()));
        assertThat(r.results()).extracting(x -> x.target()).containsExactly(A, B, C);
        assertThat(r.results()).extracting(x -> x.status()).containsExactlyElementsOf(c.statuses());
        assertThat(prober.outstanding).as("nothing left outstanding after the round").isZero();
    }

    @Test
    void countProbesAreSpacedAndGiveLossAndMeanLatency() {
        ManualScheduler clock = new ManualScheduler();
        long start = clock.nanoTime();
        // every other probe answered, after 10 ms, 30 ms
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> switch ((int) ((at - start) / MS)) {
            case 0 -> 10 * MS;
            case 200 -> 30 * MS;
            default -> ScriptedProber.NEVER;
        });
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        var tracking = TestTracking.of(TrackMethod.PING, A).count(4).timeout(Duration.ofMillis(800)).interval(Duration.ofSeconds(10)).build();
        new RoundTracker("wan", Family.IPV4, tracking, prober, clock, rounds::add, start, 10_000 * MS);
        clock.advance(Duration.ofSeconds(2));
        assertThat(prober.sent).extracting(s -> (s.at() - start) / MS).containsExactly(0L, 200L, 400L, 600L);
        var result = rounds.get(0).results().get(0);
        assertThat(result.status()).isEqualTo(UP);
        assertThat(result.lossPercent()).isEqualTo(50);
        assertThat(result.latencyMs()).isEqualTo(20.0);
        assertThat(result.jitterMs()).isNull();
        assertThat(rounds.get(0).at()).isEqualTo(ManualScheduler.EPOCH.plusMillis(1400));
    }

    @Test
    void stopCancelsTheRoundAndClosesTheProber() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> ScriptedProber.NEVER);
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        var tracking = TestTracking.of(TrackMethod.PING, A, B).interval(Duration.ofSeconds(1)).build();
        RoundTracker tracker = new RoundTracker("wan", Family.IPV4, tracking, prober, clock, rounds::add, clock.nanoTime(), 1_000 * MS);
        clock.advance(Duration.ofMillis(100));
        tracker.stop();
        clock.advance(Duration.ofSeconds(10));
        assertThat(rounds).isEmpty();
        assertThat(prober.closed).isTrue();
        assertThat(prober.outstanding).isZero();
        assertThat(clock.pending()).isZero();
    }
}
