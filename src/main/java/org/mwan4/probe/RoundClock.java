package org.mwan4.probe;

import org.mwan4.probe.net.Scheduler;
import org.mwan4.probe.net.Scheduler.Cancellable;

/**
 * When a tracker's next round starts, the same for both tracking modes: rounds start at {@link RoundSchedule}
 * boundaries; the next one at the first boundary after the latest round's and never before now, so a late or
 * long round does not shift the later ones. A retime re-anchors the schedule at the latest round's boundary (at
 * the first planned one while no round has started). Runs on the scheduler's thread, like its tracker.
 */
final class RoundClock {
    private final Scheduler scheduler;
    private final Runnable round;
    private RoundSchedule schedule;
    private Cancellable next;
    private long nextAt;
    private Long lastBoundary;

    /** Plans the first round at {@code firstAtNanos}; {@code round} runs at each boundary. */
    RoundClock(Scheduler scheduler, long firstAtNanos, long intervalNanos, Runnable round) {
        this.scheduler = scheduler;
        this.round = round;
        this.schedule = new RoundSchedule(firstAtNanos, intervalNanos);
        plan(firstAtNanos);
    }

    /** The planned round has started: returns its boundary, from now on the latest one. */
    long started() {
        lastBoundary = nextAt;
        return nextAt;
    }

    /** Plans the round after the one that started at {@code boundary}. */
    void planAfter(long boundary) {
        plan(schedule.boundaryAtOrAfter(Math.max(scheduler.nanoTime(), boundary + 1)));
    }

    /**
     * Rounds come every {@code intervalNanos} from the latest boundary on. With {@code replan} the round already
     * planned moves to the new schedule now; without, the caller plans the next one with {@link #planAfter}.
     */
    void retime(long intervalNanos, boolean replan) {
        long base = lastBoundary != null ? lastBoundary : nextAt;
        schedule = new RoundSchedule(base, intervalNanos);
        if (replan) {
            next.cancel();
            if (lastBoundary == null) {
                plan(base);
            } else {
                planAfter(base);
            }
        }
    }

    /** The planned round will not start. */
    void cancel() {
        if (next != null) {
            next.cancel();
        }
    }

    private void plan(long at) {
        nextAt = at;
        next = scheduler.at(at, round);
    }
}
