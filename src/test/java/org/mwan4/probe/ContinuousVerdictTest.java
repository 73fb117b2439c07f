package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.TargetStatus;

/** Continuous-mode verdicts: outage runs, loss and latency thresholds, hysteresis, hold time. */
class ContinuousVerdictTest {
    private static final IpAddress T = IpAddress.parse("203.0.113.1").orElseThrow();
    private static final long S = 1_000_000_000L;

    private static Tracking tracking(boolean quality, Duration hold) {
        return TestTracking.of(TrackMethod.PING, T).quality(new Tracking.Quality(quality, 1000, 500, 40, 10))
                .continuous(20, hold).build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                            from, degraded, quality, completed, lost, mean, run, before, to,   degraded after
            "first answer: up before the window fills,          DOWN, false, false, 1,  0,  20,   0, 0, UP,   false",
            "one loss on a clean link: stays up,                UP,   false, false, 12, 1,  20,   1, 0, UP,   false",
            "two in a row on a clean link: down,                UP,   false, false, 12, 2,  20,   2, 0, DOWN, false",
            "two in a row on a lossy link: not yet,             UP,   false, false, 20, 3,  20,   2, 1, UP,   false",
            "three in a row on a lossy link: down,              UP,   false, false, 20, 4,  20,   3, 1, DOWN, false",
            "after an outage run the next answer is up,         DOWN, false, false, 20, 3,  20,   0, 3, UP,   false",
            "newest lost: not up yet,                           DOWN, false, false, 20, 1,  20,   1, 0, DOWN, false",
            "window loss at failure_loss: degraded,             UP,   false, false, 20, 8,  20,   0, 8, DOWN, true",
            "degraded stays while loss is above recovery,       DOWN, true,  false, 20, 3,  20,   0, 3, DOWN, true",
            "degraded ends at recovery_loss,                    DOWN, true,  false, 20, 2,  20,   0, 2, UP,   false",
            "latency ignored without check_quality,             UP,   false, false, 20, 0,  5000, 0, 0, UP,   false",
            "quality: latency at failure_latency: degraded,     UP,   false, true,  20, 0,  1000, 0, 0, DOWN, true",
            "quality: latency between thresholds stays degraded,DOWN, true,  true,  20, 0,  700,  0, 0, DOWN, true",
            "quality: latency between thresholds is not degraded,UP,  false, true,  20, 0,  700,  0, 0, UP,   false",
            "quality: latency at recovery_latency: up,          DOWN, true,  true,  20, 0,  500,  0, 0, UP,   false",
            "few samples: percentages not trusted yet,          UP,   false, true,  4,  2,  20,   0, 2, UP,   false"})
    void transition(String name, TargetStatus from, boolean degraded, boolean quality, int completed, int lost, double mean, int run,
                    int before, TargetStatus to, boolean degradedAfter) {
        var stats = new QualityWindow.Stats(completed, lost, mean, 1.0, run, before);
        var v = new ContinuousVerdict(from, degraded, null, 0).next(stats, tracking(quality, Duration.ZERO), 0);
        assertThat(v.status()).isEqualTo(to);
        assertThat(v.degraded()).isEqualTo(degradedAfter);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                          from, degraded, run, lost before, confirmed this round, wants
            "up - clean link - first loss: confirm,           UP,   false, 1, 0, false, true",
            "up - clean link - outage reached: enough,        UP,   false, 2, 0, true,  false",
            "up - lossy link - first loss: confirm,           UP,   false, 1, 2, false, true",
            "up - lossy link - second loss: confirm again,    UP,   false, 2, 2, true,  true",
            "up - lossy link - outage reached: enough,        UP,   false, 3, 2, true,  false",
            "nothing lost,                                    UP,   false, 0, 0, false, false",
            "down by outage - newest lost: one per round,     DOWN, false, 3, 0, false, true",
            "down by outage - already confirmed this round,   DOWN, false, 4, 0, true,  false",
            "degraded window: no hurry,                       DOWN, true,  1, 9, false, false"})
    void confirmationProbes(String name, TargetStatus from, boolean degraded, int run, int before, boolean confirmed, boolean wants) {
        var stats = new QualityWindow.Stats(12, run + before, 20.0, 1.0, run, before);
        assertThat(new ContinuousVerdict(from, degraded, null, 0).wantsConfirmation(stats, confirmed)).isEqualTo(wants);
    }

    @Test
    void holdTimeDelaysAFlipUntilTheWishPersisted() {
        Tracking t = tracking(false, Duration.ofSeconds(1));
        var dead = new QualityWindow.Stats(12, 2, 20.0, 1.0, 2, 0);
        var fine = new QualityWindow.Stats(12, 0, 20.0, 1.0, 0, 0);
        var v = new ContinuousVerdict(TargetStatus.UP, false, null, 0);
        v = v.next(dead, t, 0);
        assertThat(v.status()).isEqualTo(TargetStatus.UP);
        v = v.next(dead, t, S / 2);
        assertThat(v.status()).isEqualTo(TargetStatus.UP);
        v = v.next(dead, t, S);
        assertThat(v.status()).isEqualTo(TargetStatus.DOWN);
        // a wish that is interrupted starts over
        v = v.next(fine, t, 2 * S);
        v = v.next(dead, t, 2 * S + S / 5);
        v = v.next(fine, t, 3 * S + S / 10);
        assertThat(v.status()).as("up wish interrupted at 2.2 s, new one since 3.1 s").isEqualTo(TargetStatus.DOWN);
        v = v.next(fine, t, 4 * S + S / 10);
        assertThat(v.status()).isEqualTo(TargetStatus.UP);
    }
}
