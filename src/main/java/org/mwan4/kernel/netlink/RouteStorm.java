package org.mwan4.kernel.netlink;

/**
 * Decides when route notifications come too fast to hand over one at a time. A daemon folds each route event into
 * its state (a copy of the route set) and may plan after each; at thousands of changes per second (a routing daemon
 * converging, a full-table BGP feed) that is work per change for nothing. So once more than {@code threshold} route
 * notifications arrive within one {@code window}, a storm starts: route notifications are skipped (counted, not
 * delivered) and the monitor delivers one snapshot (a dump) every {@code snapshotEvery} instead; when a window passes
 * with at most {@code threshold} of them the storm ends with a last snapshot. Links and addresses are never skipped,
 * so a carrier loss during a storm is still seen at once.
 *
 * <p>Pure: time comes in as {@link System#nanoTime()} values. One per monitor thread, not thread-safe.
 */
final class RouteStorm {
    private final int threshold;
    private final long window;
    private final long snapshotEvery;
    private long windowStart;
    private int inWindow;
    private boolean storm;
    private boolean skipped;
    private long lastSnapshot;
    private long skippedTotal;
    private long storms;

    /**
     * @param threshold     route notifications per window above which a storm starts
     * @param windowNanos   the counting window
     * @param snapshotNanos how often a snapshot replaces the skipped notifications while the storm lasts
     */
    RouteStorm(int threshold, long windowNanos, long snapshotNanos, long now) {
        this.threshold = threshold;
        this.window = windowNanos;
        this.snapshotEvery = snapshotNanos;
        this.windowStart = now;
    }

    /** A route notification arrived: true to deliver it, false to skip it (a coming snapshot covers it). */
    boolean deliver(long now) {
        roll(now);
        inWindow++;
        if (!storm && inWindow > threshold) {
            storm = true;
            storms++;
            lastSnapshot = now;
        }
        if (storm) {
            skipped = true;
            skippedTotal++;
            return false;
        }
        return true;
    }

    /** Whether a snapshot is due: skipped changes and either the storm is over or the last snapshot is old enough. */
    boolean snapshotDue(long now) {
        roll(now);
        return skipped && (!storm || now - lastSnapshot >= snapshotEvery);
    }

    /** A snapshot (taken at {@code now}) covers everything skipped so far. */
    void snapshotTaken(long now) {
        skipped = false;
        lastSnapshot = now;
        // a fresh window: the snapshot drained (uncounted) what queued meanwhile, so the old count would look calm
        windowStart = now;
        inWindow = 0;
    }

    boolean inStorm() {
        return storm;
    }

    /** Route notifications skipped since the monitor started. */
    long skippedTotal() {
        return skippedTotal;
    }

    /** Storms since the monitor started. */
    long storms() {
        return storms;
    }

    /**
     * Starts a new window when the current one is over. A storm ends with the first window of normal length that
     * counted at most the threshold. A longer window says nothing: either nothing came, or this thread did not run
     * (a busy machine) while notifications queued up uncounted; the next window, normal again, decides.
     */
    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed < window) {
            return;
        }
        if (storm && elapsed < 2 * window && inWindow <= threshold) {
            storm = false;
        }
        windowStart = now;
        inWindow = 0;
    }
}
