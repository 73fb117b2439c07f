package org.mwan4.probe.net;

import java.time.Instant;

/**
 * Where trackers get time from: the probe loop in production, a manual clock in tests.
 * All methods are called on the scheduler's own thread, and tasks run there.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds (only differences mean anything). */
    long nanoTime();

    /** Wall-clock time for event stamps. */
    Instant wallTime();

    /** Runs {@code task} once {@link #nanoTime()} reaches {@code atNanos} (at once when that is past). */
    Cancellable at(long atNanos, Runnable task);

    /** A scheduled task or an outstanding probe that can be called off. Cancelling twice is harmless. */
    interface Cancellable {
        void cancel();
    }
}
