package org.mwan4.core;

/**
 * One tracker (interface x family). The core issue fills in the rest of the fields
 * (score, lost, turn, online/offline timestamps, per-target state, tracking state, ...).
 * Code outside core builds trackers only through {@link #withStatus}, which must keep working.
 */
public record Tracker(TrackerStatus status) {

    /** A tracker in the given status with every other field at its start value (for planner tests and tools). */
    public static Tracker withStatus(TrackerStatus status) {
        return new Tracker(status);
    }
}
