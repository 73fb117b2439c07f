package org.mwan4.probe;

/** One running tracker (an interface and family), driven on the scheduler's thread. */
sealed interface TrackerRun permits RoundTracker, ContinuousTracker {

    /** From the next round on, rounds come every {@code intervalNanos} (see {@link RoundSchedule}). */
    void retime(long intervalNanos);

    /** Stops probing: outstanding probes are cancelled, no further event is emitted, sockets close. */
    void stop();
}
