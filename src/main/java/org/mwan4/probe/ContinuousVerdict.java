package org.mwan4.probe;

import org.mwan4.config.Tracking;
import org.mwan4.core.Event.TargetStatus;

/**
 * The per-target verdict of continuous mode (pure): UP or DOWN, with hysteresis and a hold time.
 *
 * <p>Down when the link looks dead or bad:
 * <ul>
 *   <li>an outage run: the newest {@code 2} probes lost in a row, or {@code 3} when the window already lost
 *       probes before that run (a lossy link must show one more loss to convince);</li>
 *   <li>or, once the window holds at least {@link #MIN_SAMPLES} completed probes, loss >= failure_loss,
 *       or (with check_quality) mean latency >= failure_latency.</li>
 * </ul>
 * Up only when the newest completed probe was answered and, with enough samples, loss <= recovery_loss and
 * (with check_quality) latency <= recovery_latency. In between the verdict stays as it was (hysteresis).
 * A wanted change must persist for {@code hold_time} before it is adopted (0: at once).
 *
 * <p>Why this meets "a 0.2 s interval with down 3 detects a dead WAN in under a second without flapping at
 * 5 % loss": on a dead link the second lost probe turns the verdict DOWN about interval + loss timeout after
 * the first (see {@link QualityWindow#lossAfterNanos}), and the reducer's 3 failed rounds follow 0.4 s later.
 * For the reducer to see 3 DOWN rounds on a live link, 4 probes in a row (5 when the window had any loss)
 * must be lost: at 5 % independent loss that is 0.05^4 = 6e-6 per round, once in ~9 hours at 5 rounds a
 * second, and 3e-7 (weeks) on a link that has shown loss.
 */
public record ContinuousVerdict(TargetStatus status, TargetStatus candidate, long candidateSince) {
    /** Completed probes before loss and latency percentages are trusted. */
    public static final int MIN_SAMPLES = 10;

    /** Before any evidence: DOWN (a round reports a target UP only after it answered). */
    public static ContinuousVerdict initial() {
        return new ContinuousVerdict(TargetStatus.DOWN, null, 0);
    }

    /** The verdict after looking at {@code stats} at {@code nowNanos}. */
    public ContinuousVerdict next(QualityWindow.Stats stats, Tracking tracking, long nowNanos) {
        TargetStatus want = wanted(stats, tracking);
        if (want == null || want == status) {
            return candidate == null ? this : new ContinuousVerdict(status, null, 0);
        }
        long since = want == candidate ? candidateSince : nowNanos;
        long hold = tracking.holdTime() == null ? 0 : tracking.holdTime().toNanos();
        if (nowNanos - since >= hold) {
            return new ContinuousVerdict(want, null, 0);
        }
        return new ContinuousVerdict(status, want, since);
    }

    /** UP or DOWN as the evidence asks, null when it sits between the thresholds. */
    static TargetStatus wanted(QualityWindow.Stats s, Tracking tracking) {
        if (s.completed() == 0) {
            return null;
        }
        Tracking.Quality q = tracking.quality();
        boolean enough = s.completed() >= Math.min(MIN_SAMPLES, Math.max(1, tracking.window()));
        int outageRun = s.lostBeforeRun() == 0 ? 2 : 3;
        boolean dead = s.lossRun() >= outageRun;
        boolean bad = enough && (s.lossPercent() >= q.failureLossPercent()
                || (q.enabled() && s.meanMs() != null && s.meanMs() >= q.failureLatencyMs()));
        if (dead || bad) {
            return TargetStatus.DOWN;
        }
        if (s.lossRun() > 0) {
            return null;
        }
        boolean good = !enough || (s.lossPercent() <= q.recoveryLossPercent()
                && (!q.enabled() || (s.meanMs() != null && s.meanMs() <= q.recoveryLatencyMs())));
        return good ? TargetStatus.UP : null;
    }
}
