package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.TargetStatus;

/** mwan3's per-target rule for one round, with and without check_quality (failure 1000 ms / 40 %, recovery 500 ms / 10 %). */
class RoundVerdictTest {
    private static final IpAddress T = IpAddress.parse("203.0.113.1").orElseThrow();
    private static final Tracking.Quality ON = new Tracking.Quality(true, 1000, 500, 40, 10);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                                 quality, sent, answered, mean ms, status,  loss
            "no quality: one answer is enough,        false, 3, 1, 5000, UP,      67",
            "no quality: nothing answered,            false, 3, 0, 0,    DOWN,    100",
            "quality: clean and fast,                 true,  10, 10, 20, UP,      0",
            "quality: loss at the failure threshold,  true,  5, 3, 20,   DOWN,    40",
            "quality: latency at the failure limit,   true,  4, 4, 1000, DOWN,    0",
            "quality: loss between the thresholds,    true,  5, 4, 20,   SKIPPED, 20",
            "quality: latency between the thresholds, true,  4, 4, 700,  SKIPPED, 0",
            "quality: exactly at recovery limits,     true,  10, 9, 500, UP,      10",
            "quality: nothing answered,               true,  2, 0, 0,    DOWN,    100"})
    void classify(String name, boolean quality, int sent, int answered, long meanMs, TargetStatus status, int loss) {
        Tracking.Quality q = quality ? ON : Tracking.Quality.DEFAULT;
        var r = RoundVerdict.classify(T, sent, answered, meanMs * answered * 1_000_000L, q);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.lossPercent()).isEqualTo(loss);
        assertThat(r.latencyMs()).isEqualTo(answered == 0 ? null : (double) meanMs);
    }
}
