package org.mwan4.probe;

import org.mwan4.config.Tracking;
import org.mwan4.core.Event.TargetStatus;

/**
 * The per-target verdict of continuous mode (pure): UP or DOWN, from two kinds of evidence.
 * <ul>
 *   <li><b>Outage</b> (fast, no memory): the newest 2 probes lost in a row, or 3 when the window lost probes
 *       before that run (a lossy link must show one more loss to convince). It ends with the next answer.</li>
 *   <li><b>Degraded</b> (slow, with hysteresis), once the window holds at least {@link #MIN_SAMPLES} completed
 *       probes: entered at loss >= failure_loss or (with check_quality) mean latency >= failure_latency, left only
 *       at loss <= recovery_loss and (with check_quality) latency <= recovery_latency. In between it stays as it was.
 *       After a real outage the window is full of losses, so the target stays DOWN until it has recovered.</li>
 * </ul>
 * DOWN while either holds; UP once neither holds and the newest completed probe was answered; otherwise the
 * verdict stays. A wanted flip must persist for {@code hold_time} before it is adopted (0: at once).
 *
 * <p>Why this meets "a 0.2 s interval with down 3 detects a dead WAN in under a second without flapping at
 * 5 % loss": the tracker holds a round whose newest probe is lost and sends confirmation probes at once
 * ({@link #wantsConfirmation}). On a dead link the round of the first lost probe is already DOWN, and the reducer's
 * 3 failed rounds are complete 2 intervals later: at most about 0.2 + 0.4 + 2-3 loss timeouts (0.7-0.75 s) after
 * the death. On a live link at 5 % independent loss the window hovers around 5 %, far from failure_loss, so only an
 * outage turns a round DOWN, and 3 DOWN rounds need 6 losses in a row (7 once the window has shown loss): 0.05^6 =
 * 1.6e-8 per round, years at 5 rounds a second. (Heavier random loss can push a 20-probe window over
 * failure_loss by chance; that is the window thresholds doing what they say: a larger track_window smooths it.)
 *
 * @param degraded the hysteresis state of the window thresholds
 */
public record ContinuousVerdict(TargetStatus status, boolean degraded, TargetStatus candidate, long candidateSince) {
    /** Completed probes before loss and latency percentages are trusted. */
    public static final int MIN_SAMPLES = 10;

    /** Before any evidence: DOWN (a round reports a target UP only after it answered). */
    public static ContinuousVerdict initial() {
        return new ContinuousVerdict(TargetStatus.DOWN, false, null, 0);
    }

    /** The verdict after looking at {@code stats} at {@code nowNanos}. */
    public ContinuousVerdict next(QualityWindow.Stats s, Tracking tracking, long nowNanos) {
        if (s.completed() == 0) {
            return this;
        }
        boolean bad = degraded(s, tracking);
        boolean outage = s.lossRun() >= outageRun(s);
        TargetStatus want = outage || bad ? TargetStatus.DOWN : s.lossRun() == 0 ? TargetStatus.UP : null;
        if (want == null || want == status) {
            return new ContinuousVerdict(status, bad, null, 0);
        }
        long since = want == candidate ? candidateSince : nowNanos;
        long hold = tracking.holdTime() == null ? 0 : tracking.holdTime().toNanos();
        if (nowNanos - since >= hold) {
            return new ContinuousVerdict(want, bad, null, 0);
        }
        return new ContinuousVerdict(status, bad, want, since);
    }

    /** Lost probes in a row that make an outage: 2, or 3 when the window lost probes before the run. */
    static int outageRun(QualityWindow.Stats s) {
        return s.lostBeforeRun() == 0 ? 2 : 3;
    }

    /**
     * Whether the tracker should send this target a confirmation probe now, before the round goes out: when its
     * newest probe is lost (and the window is not simply degraded), an UP target is confirmed probe by probe until
     * the run makes an outage or one is answered, and a target DOWN by outage gets one per round, so that a single
     * answer brings it back. A dead link then shows its outage in the round of the first lost probe, while a live
     * link must lose two probes in a row for every further failed round.
     */
    public boolean wantsConfirmation(QualityWindow.Stats s, boolean confirmedThisRound) {
        if (s.lossRun() == 0 || degraded) {
            return false;
        }
        return status == TargetStatus.UP ? s.lossRun() < outageRun(s) : !confirmedThisRound;
    }

    private boolean degraded(QualityWindow.Stats s, Tracking tracking) {
        if (s.completed() < Math.min(MIN_SAMPLES, Math.max(1, tracking.window()))) {
            return degraded;
        }
        Tracking.Quality q = tracking.quality();
        if (!degraded) {
            return s.lossPercent() >= q.failureLossPercent()
                    || (q.enabled() && s.meanMs() != null && s.meanMs() >= q.failureLatencyMs());
        }
        boolean recovered = s.lossPercent() <= q.recoveryLossPercent()
                && (!q.enabled() || (s.meanMs() != null && s.meanMs() <= q.recoveryLatencyMs()));
        return !recovered;
    }
}
