package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;

/** Continuous mode on virtual time: one round per tick, window figures, dead-link detection, no flapping. */
class ContinuousTrackerTest {
    private static final long MS = 1_000_000L;
    private static final IpAddress A = IpAddress.parse("203.0.113.1").orElseThrow();
    private static final IpAddress B = IpAddress.parse("203.0.113.2").orElseThrow();

    private static Tracking fast(IpAddress... targets) {
        return TestTracking.of(TrackMethod.PING, targets).interval(Duration.ofMillis(200)).timeout(Duration.ofSeconds(2))
                .continuous(20, Duration.ZERO).build();
    }

    @Test
    void oneRoundPerTickWithTheWindowsLatencyJitterAndLoss() {
        ManualScheduler clock = new ManualScheduler();
        long start = clock.nanoTime();
        // RTT alternates 10 ms / 30 ms: mean 20, stddev 10
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> ((at - start) / (200 * MS)) % 2 == 0 ? 10 * MS : 30 * MS);
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        new ContinuousTracker("wan", Family.IPV4, fast(A, B), prober, clock, rounds::add, start, 200 * MS);
        clock.advance(Duration.ofMillis(10_000 - 1));
        assertThat(rounds).hasSize(50);
        assertThat(prober.sent).hasSize(100);
        TargetResult last = rounds.getLast().results().get(0);
        assertThat(last.status()).isEqualTo(TargetStatus.UP);
        assertThat(last.latencyMs()).isEqualTo(20.0);
        assertThat(last.jitterMs()).isEqualTo(10.0);
        assertThat(last.lossPercent()).isZero();
        // each round is out as soon as its tick's probes are answered
        assertThat(rounds.get(3).at()).isEqualTo(ManualScheduler.EPOCH.plusMillis(3 * 200 + 30));
        for (int i = 1; i < rounds.size(); i++) {
            assertThat(rounds.get(i).at()).isAfter(rounds.get(i - 1).at());
        }
    }

    /** The link dies {@code phaseMs} after a tick; the reducer (down 3) must see it offline within a second. */
    @ParameterizedTest(name = "link dies {0} ms after a tick")
    @ValueSource(ints = {0, 1, 50, 100, 150, 199})
    void deadLinkIsOfflineInUnderASecond(int phaseMs) {
        ManualScheduler clock = new ManualScheduler();
        long start = clock.nanoTime();
        long deathAt = start + 10_000 * MS + phaseMs * MS;
        SplittableRandom jitter = new SplittableRandom(phaseMs);
        ScriptedProber prober = new ScriptedProber(clock,
                (t, at) -> at + 20 * MS >= deathAt ? ScriptedProber.NEVER : (15 + jitter.nextInt(10)) * MS);
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        new ContinuousTracker("wan", Family.IPV4, fast(A), prober, clock, rounds::add, start, 200 * MS);
        clock.advance(Duration.ofSeconds(15));
        List<ProbeRoundFinished> before = rounds.stream().filter(r -> r.at().isBefore(ManualScheduler.EPOCH.plusMillis(10_000))).toList();
        assertThat(ReducerCount.offlineAt(before, 1, 3)).as("no false alarm before").isEqualTo(-1);
        int at = ReducerCount.offlineAt(rounds, 1, 3);
        assertThat(at).isPositive();
        Duration detection = Duration.between(ManualScheduler.EPOCH.plusNanos(deathAt - start), rounds.get(at).at());
        assertThat(detection).isLessThan(Duration.ofMillis(750)); // 0.2 + 0.4 s + 2 loss timeouts at worst
        assertThat(prober.sent.stream().filter(s -> (s.at() - start) % (200 * MS) != 0).count())
                .as("confirmation probes (off the tick grid), none before the death").isPositive()
                .isEqualTo(prober.sent.stream().filter(s -> s.at() >= deathAt && (s.at() - start) % (200 * MS) != 0).count());
    }

    @Test
    void onALossyLinkTheDeadLinkIsStillOfflineInUnderASecond() {
        ManualScheduler clock = new ManualScheduler();
        long start = clock.nanoTime();
        long deathAt = start + 10_000 * MS + 199 * MS;  // the worst phase: just after a tick
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> {
            long tick = (at - start) / (200 * MS);
            boolean randomLoss = tick % 10 == 3;         // 10 % loss before the death: the window has shown loss
            return at + 20 * MS >= deathAt || randomLoss ? ScriptedProber.NEVER : 20 * MS;
        });
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        new ContinuousTracker("wan", Family.IPV4, fast(A), prober, clock, rounds::add, start, 200 * MS);
        clock.advance(Duration.ofSeconds(15));
        int at = ReducerCount.offlineAt(rounds, 1, 3);
        assertThat(ReducerCount.offlineAt(rounds.stream().filter(r -> r.at().isBefore(ManualScheduler.EPOCH.plusMillis(10_000))).toList(), 1, 3))
                .isEqualTo(-1);
        Duration detection = Duration.between(ManualScheduler.EPOCH.plusNanos(deathAt - start), rounds.get(at).at());
        assertThat(detection).isLessThan(Duration.ofMillis(750));
    }

    @Test
    void fivePercentRandomLossDoesNotTakeTheLinkDownInADay() {
        ManualScheduler clock = new ManualScheduler();
        long start = clock.nanoTime();
        SplittableRandom random = new SplittableRandom(42);
        ScriptedProber prober = new ScriptedProber(clock,
                (t, at) -> random.nextInt(100) < 5 ? ScriptedProber.NEVER : (10 + random.nextInt(30)) * MS);
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        new ContinuousTracker("wan", Family.IPV4, fast(A), prober, clock, rounds::add, start, 200 * MS);
        clock.advance(Duration.ofHours(24));
        assertThat(rounds).hasSizeGreaterThan(431_000);
        assertThat(ReducerCount.offlineEvents(rounds.subList(5, rounds.size()), 1, 3)).isZero();
        double meanLoss = rounds.stream().skip(20).mapToInt(r -> r.results().get(0).lossPercent()).average().orElseThrow();
        assertThat(meanLoss).as("window loss averages the real 5 %").isBetween(4.0, 6.0);
    }

    @Test
    void aLinkThatComesBackIsReportedUpAgainAfterTheWindowRecovers() {
        ManualScheduler clock = new ManualScheduler();
        long start = clock.nanoTime();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> {
            long s = (at - start) / MS;
            return s >= 5_000 && s < 8_000 ? ScriptedProber.NEVER : 20 * MS;
        });
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        new ContinuousTracker("wan", Family.IPV4, fast(A), prober, clock, rounds::add, start, 200 * MS);
        clock.advance(Duration.ofSeconds(20));
        var up = rounds.stream().filter(r -> r.results().get(0).status() == TargetStatus.UP).map(ProbeRoundFinished::at).toList();
        var lastDown = rounds.stream().filter(r -> r.results().get(0).status() == TargetStatus.DOWN).map(ProbeRoundFinished::at).reduce((a, b) -> b).orElseThrow();
        // 15 probes lost (5.0-7.8 s) leave the 20-probe window degraded; it recovers at loss <= 10 %, i.e. at most
        // 2 losses left, after 18 answers: the 18th probe goes at 11.4 s, so the last DOWN round is the 17th's (11.22 s)
        assertThat(lastDown).isEqualTo(ManualScheduler.EPOCH.plusMillis(11_220));
        assertThat(up.getLast()).isAfter(ManualScheduler.EPOCH.plusSeconds(19));
    }

    @Test
    void stopLeavesNothingScheduledAndClosesTheProber() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> ScriptedProber.NEVER);
        List<ProbeRoundFinished> rounds = new ArrayList<>();
        ContinuousTracker tracker = new ContinuousTracker("wan", Family.IPV4, fast(A, B), prober, clock, rounds::add, clock.nanoTime(), 200 * MS);
        clock.advance(Duration.ofMillis(1050));
        tracker.stop();
        int seen = rounds.size();
        clock.advance(Duration.ofSeconds(10));
        assertThat(rounds).hasSize(seen);
        assertThat(prober.closed).isTrue();
        assertThat(prober.outstanding).isZero();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void retimeChangesTheTickFromTheLatestTickOn() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedProber prober = new ScriptedProber(clock, (t, at) -> MS);
        long start = clock.nanoTime();
        ContinuousTracker tracker = new ContinuousTracker("wan", Family.IPV4, fast(A), prober, clock, e -> {}, start, 200 * MS);
        clock.advance(Duration.ofMillis(450));
        tracker.retime(1000 * MS);
        clock.advance(Duration.ofMillis(3000));
        assertThat(prober.sent).extracting(s -> (s.at() - start) / MS).containsExactly(0L, 200L, 400L, 1400L, 2400L, 3400L);
    }
}
