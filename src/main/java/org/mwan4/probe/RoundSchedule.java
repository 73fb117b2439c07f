package org.mwan4.probe;

/**
 * When the rounds of one tracker start: at {@code anchor + n * interval}, n = 0, 1, 2, ... A round that
 * starts late (a busy loop) or runs long (timeouts) never shifts the later ones: the next round starts at
 * the next boundary still ahead, so there is no drift ("sleep after the round" would add every round's
 * duration). A retime keeps the boundary already planned and steps by the new interval from there.
 * Pure arithmetic on nanoseconds.
 */
public record RoundSchedule(long anchorNanos, long intervalNanos) {

    public RoundSchedule {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("round interval must be positive, got " + intervalNanos + " ns");
        }
    }

    /** The first boundary at or after {@code t} (the anchor when {@code t} is before it). */
    public long boundaryAtOrAfter(long t) {
        long d = t - anchorNanos;
        if (d <= 0) {
            return anchorNanos;
        }
        long n = d / intervalNanos + (d % intervalNanos == 0 ? 0 : 1);
        return anchorNanos + n * intervalNanos;
    }

    /** The first boundary strictly after {@code t}. */
    public long boundaryAfter(long t) {
        return boundaryAtOrAfter(t + 1);
    }

    /** Rounds from {@code boundary} on, every {@code newIntervalNanos}. */
    public RoundSchedule retimed(long boundary, long newIntervalNanos) {
        return new RoundSchedule(boundary, newIntervalNanos);
    }
}
