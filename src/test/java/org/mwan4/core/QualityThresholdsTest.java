package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;
import org.mwan4.core.Tracker.Verdict;

/**
 * check_quality at its boundaries, with failure_latency 1000, recovery_latency 500, failure_loss 40,
 * recovery_loss 10: down when loss >= 40 or latency >= 1000, up when loss <= 10 and latency <= 500, neither
 * (counted as skipped) in between; a probe that failed is down. Without check_quality the probe's own verdict stands.
 */
class QualityThresholdsTest {
    static final Tracking.Quality ON = new Tracking.Quality(true, 1000, 500, 40, 10);
    static final IpAddress TARGET = IpAddress.v4(198, 51, 100, 1);

    @ParameterizedTest(name = "{0}: {1} ms, {2}% loss -> {4}")
    @CsvSource(nullValues = "null", value = {
            "both at the recovery limits,        500,   10, UP,      UP",
            "fast and clean,                       1,    0, UP,      UP",
            "latency just above recovery,        501,    0, UP,      SKIPPED",
            "latency just below failure,         999,    0, UP,      SKIPPED",
            "latency at failure,                1000,    0, UP,      DOWN",
            "loss just above recovery,            20,   11, UP,      SKIPPED",
            "loss just below failure,             20,   39, UP,      SKIPPED",
            "loss at failure,                     20,   40, UP,      DOWN",
            "loss at failure with good latency,    1,   40, UP,      DOWN",
            "nothing answered,                  null,  100, DOWN,    DOWN",
            "a failed probe whatever it measured,  20,    0, DOWN,    DOWN",
            "skipped stays skipped,             null,    0, SKIPPED, SKIPPED"})
    void withCheckQuality(String name, Double latency, int loss, TargetStatus probe, Verdict verdict) {
        assertThat(TrackerMachine.classify(ON, new TargetResult(TARGET, probe, latency, loss, null))).isEqualTo(verdict);
    }

    @ParameterizedTest(name = "{0}: {1} ms, {2}% loss, probe {3} -> {4}")
    @CsvSource(nullValues = "null", value = {
            "slow but answered,   5000,   0, UP,      UP",
            "lossy but answered,    20,  90, UP,      UP",
            "no answer,           null, 100, DOWN,    DOWN",
            "skipped,             null,   0, SKIPPED, SKIPPED"})
    void withoutCheckQuality(String name, Double latency, int loss, TargetStatus probe, Verdict verdict) {
        assertThat(TrackerMachine.classify(Tracking.Quality.DEFAULT, new TargetResult(TARGET, probe, latency, loss, null)))
                .isEqualTo(verdict);
    }
}
