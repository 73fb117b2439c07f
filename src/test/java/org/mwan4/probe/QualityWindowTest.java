package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rolling window of continuous mode. Scripts: A<ms> answered, L lost, P still pending; oldest first. */
class QualityWindowTest {
    private static final long MS = 1_000_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // name                           | cap | script              | completed | lost | mean  | stddev | run | before | loss%
            "all answered                     | 5   | A10 A20 A30         | 3 | 0 | 20.0 | 8.165 | 0 | 0 | 0",
            "two lost at the end              | 5   | A10 L L             | 3 | 2 | 10.0 |       | 2 | 0 | 67",
            "loss before the run              | 5   | L A10 L L           | 4 | 3 | 10.0 |       | 2 | 1 | 75",
            "pending probes do not count      | 5   | A10 L P             | 2 | 1 | 10.0 |       | 1 | 0 | 50",
            "old probes leave the window      | 5   | L L A1 A1 A1 A1 A1  | 5 | 0 | 1.0  | 0.0   | 0 | 0 | 0",
            "nothing completed yet            | 5   | P P                 | 0 | 0 |      |       | 0 | 0 | 0",
            "everything lost                  | 3   | L L L L             | 3 | 3 |      |       | 3 | 0 | 100"})
    void stats(String name, int capacity, String script, int completed, int lost, Double mean, Double stddev, int run, int before, int loss) {
        QualityWindow w = new QualityWindow(capacity);
        String[] steps = script.trim().split(" ");
        for (int i = 0; i < steps.length; i++) {
            String s = steps[i];
            w.sent(i, s.equals("P") ? Long.MAX_VALUE / 2 : i * 100 * MS);
            if (s.startsWith("A")) {
                w.answered(i, Long.parseLong(s.substring(1)) * MS);
            }
        }
        w.expire(steps.length * 100 * MS);
        QualityWindow.Stats st = w.stats();
        assertThat(st.completed()).isEqualTo(completed);
        assertThat(st.lost()).isEqualTo(lost);
        if (mean == null) {
            assertThat(st.meanMs()).isNull();
        } else {
            assertThat(st.meanMs()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-3));
        }
        if (stddev == null) {
            assertThat(st.stddevMs()).isNull();
        } else {
            assertThat(st.stddevMs()).isCloseTo(stddev, org.assertj.core.data.Offset.offset(1e-3));
        }
        assertThat(st.lossRun()).isEqualTo(run);
        assertThat(st.lostBeforeRun()).isEqualTo(before);
        assertThat(st.lossPercent()).isEqualTo(loss);
    }

    @Test
    void aLateAnswerReplacesALoss() {
        QualityWindow w = new QualityWindow(5);
        w.sent(0, 100 * MS);
        w.answered(0, 10 * MS);
        w.sent(1, 200 * MS);
        w.expire(300 * MS);
        assertThat(w.stats().lost()).isEqualTo(1);
        assertThat(w.answered(1, 50 * MS)).isTrue();
        assertThat(w.stats().lost()).isZero();
        assertThat(w.stats().meanMs()).isEqualTo(30.0);
        assertThat(w.answered(99, MS)).as("never sent").isFalse();
    }

    @Test
    void aRefusedProbeIsLostAtOnce() {
        QualityWindow w = new QualityWindow(5);
        w.sent(0, Long.MAX_VALUE / 2);
        w.lost(0);
        assertThat(w.stats().lost()).isEqualTo(1);
    }

    @Test
    void lossTimeoutFollowsTheRoundTripEstimateLikeTcp() {
        QualityWindow w = new QualityWindow(5);
        assertThat(w.lossAfterNanos(100 * MS, 4000 * MS)).as("no answer yet: the full timeout").isEqualTo(4000 * MS);
        w.sent(0, 0);
        w.answered(0, 100 * MS); // SRTT 100, RTTVAR 50 (RFC 6298 2.2)
        assertThat(w.lossAfterNanos(100 * MS, 4000 * MS)).isEqualTo(300 * MS);
        assertThat(w.lossAfterNanos(100 * MS, 250 * MS)).as("capped by the timeout").isEqualTo(250 * MS);
        QualityWindow fast = new QualityWindow(5);
        fast.sent(0, 0);
        fast.answered(0, MS / 10);
        assertThat(fast.lossAfterNanos(100 * MS, 4000 * MS)).as("floor on a fast link").isEqualTo(100 * MS);
    }
}
