package org.mwan4.probe;

import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;

/**
 * What one target did in one round of mwan3-style tracking (pure). Without check_quality a target is up
 * when any probe was answered (mwan3: the probe command exited 0). With check_quality it is down when
 * loss >= failure_loss or latency >= failure_latency, up when loss <= recovery_loss and latency <=
 * recovery_latency, and SKIPPED in between (mwan3 wrote "skipped": it counts neither as up nor as lost).
 */
public final class RoundVerdict {
    private RoundVerdict() {}

    /**
     * @param sent          probes sent to the target this round (at least 1)
     * @param answered      of those, answered in time
     * @param rttSumNanos   sum of the answered probes' round-trip times
     */
    public static TargetResult classify(IpAddress target, int sent, int answered, long rttSumNanos, Tracking.Quality quality) {
        int loss = lossPercent(sent, answered);
        Double latencyMs = answered == 0 ? null : rttSumNanos / (double) answered / 1e6;
        TargetStatus status;
        if (answered == 0) {
            status = TargetStatus.DOWN;
        } else if (!quality.enabled()) {
            status = TargetStatus.UP;
        } else if (loss >= quality.failureLossPercent() || latencyMs >= quality.failureLatencyMs()) {
            status = TargetStatus.DOWN;
        } else if (loss <= quality.recoveryLossPercent() && latencyMs <= quality.recoveryLatencyMs()) {
            status = TargetStatus.UP;
        } else {
            status = TargetStatus.SKIPPED;
        }
        return new TargetResult(target, status, latencyMs, loss, null);
    }

    /** A target not probed to the end because the round already had enough answers. */
    public static TargetResult skipped(IpAddress target) {
        return new TargetResult(target, TargetStatus.SKIPPED, null, 0, null);
    }

    /** Lost share in whole percent, rounded half up (1 of 3 lost: 33, 2 of 3: 67). */
    public static int lossPercent(int sent, int answered) {
        if (sent <= 0) {
            return 100;
        }
        return (int) Math.round((sent - answered) * 100.0 / sent);
    }
}
