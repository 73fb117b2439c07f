package org.mwan4.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mwan4.config.IpAddress;

/**
 * One tracker (interface x family), as mwan3track keeps it (mwan3-reference "The tracker").
 * Code outside core builds trackers only through {@link #withStatus}.
 *
 * @param status              online / offline / connecting / disconnecting / disabled (unknown before the first start)
 * @param tracking            whether it probes: active, paused, disabled (no track_ip), down (not running)
 * @param score               0 .. down+up: down+up while online, 0 while offline, counts rounds in between
 * @param lost                failed target probes since the last good round (mwan3's LOST)
 * @param turn                rounds since the tracker started or last connected (mwan3's TURN)
 * @param onlineSince         when it went online (event time), null while not online
 * @param offlineSince        when it went offline or disabled (event time), null while online
 * @param targets             this family's track_ip with the last round's result each, in config order
 * @param interval            the wait between rounds the probe engine was last told, {@link Duration#ZERO} when not probing
 * @param device              the Linux device the probes were bound to (null: none)
 * @param source              the source address the probes were bound to (null: any)
 * @param connectedSinceStart whether a connected verdict was reached since the tracker (re)started: the next
 *                            connected hook carries FIRSTCONNECT=1 only while this is false
 * @param upSince             when the interface came up for this tracker (event time of the link up, ifup or the
 *                            config that started it; mwan3's netifd "uptime"), null while disabled or stopped
 */
public record Tracker(
        TrackerStatus status,
        TrackingState tracking,
        int score,
        int lost,
        int turn,
        Instant onlineSince,
        Instant offlineSince,
        List<Target> targets,
        Duration interval,
        String device,
        IpAddress source,
        boolean connectedSinceStart,
        Instant upSince) {

    public Tracker {
        targets = List.copyOf(targets);
    }

    /** A tracker without an up time (kept for code written before {@link #upSince()} existed). */
    public Tracker(TrackerStatus status, TrackingState tracking, int score, int lost, int turn, Instant onlineSince,
                   Instant offlineSince, List<Target> targets, Duration interval, String device, IpAddress source,
                   boolean connectedSinceStart) {
        this(status, tracking, score, lost, turn, onlineSince, offlineSince, targets, interval, device, source,
                connectedSinceStart, null);
    }

    /** A target's verdict in the last round. */
    public enum Verdict {
        UNKNOWN, UP, DOWN, SKIPPED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One track_ip: its last verdict and what the probe measured (null: not measured). */
    public record Target(IpAddress address, Verdict verdict, Double latencyMs, Integer lossPercent, Double jitterMs) {
        public static Target unknown(IpAddress address) {
            return new Target(address, Verdict.UNKNOWN, null, null, null);
        }
    }

    /** A tracker in the given status with every other field at its start value (for planner tests and tools). */
    public static Tracker withStatus(TrackerStatus status) {
        TrackingState tracking = switch (status) {
            case UNKNOWN -> TrackingState.DOWN;
            case DISABLED -> TrackingState.PAUSED;
            case ONLINE, OFFLINE, CONNECTING, DISCONNECTING -> TrackingState.ACTIVE;
        };
        return new Tracker(status, tracking, 0, 0, 0, null, null, List.of(), Duration.ZERO, null, null, false);
    }

    /** Probing or online without tracking; false while paused (disabled) or stopped (down). */
    public boolean running() {
        return status != TrackerStatus.DISABLED && tracking != TrackingState.DOWN && status != TrackerStatus.UNKNOWN;
    }

    /** Strategies may use it: online, or still disconnecting. */
    public boolean usable() {
        return status == TrackerStatus.ONLINE || status == TrackerStatus.DISCONNECTING;
    }

    Tracker withScore(int newScore, int newLost, int newTurn) {
        return new Tracker(status, tracking, newScore, newLost, newTurn, onlineSince, offlineSince, targets, interval,
                device, source, connectedSinceStart, upSince);
    }

    Tracker withTargets(List<Target> newTargets) {
        return new Tracker(status, tracking, score, lost, turn, onlineSince, offlineSince, newTargets, interval,
                device, source, connectedSinceStart, upSince);
    }

    Tracker withInterval(Duration newInterval) {
        return new Tracker(status, tracking, score, lost, turn, onlineSince, offlineSince, targets, newInterval,
                device, source, connectedSinceStart, upSince);
    }

    Tracker withBinding(String newDevice, IpAddress newSource) {
        return new Tracker(status, tracking, score, lost, turn, onlineSince, offlineSince, targets, interval,
                newDevice, newSource, connectedSinceStart, upSince);
    }

    /** Status change with the matching timestamps: online sets onlineSince, offline/disabled set offlineSince. */
    Tracker inStatus(TrackerStatus newStatus, Instant at) {
        Instant on = onlineSince;
        Instant off = offlineSince;
        switch (newStatus) {
            case ONLINE -> {
                on = status == TrackerStatus.ONLINE || status == TrackerStatus.DISCONNECTING ? onlineSince : at;
                off = null;
            }
            case OFFLINE, DISABLED -> {
                off = status == TrackerStatus.OFFLINE || status == TrackerStatus.DISABLED
                        || status == TrackerStatus.CONNECTING ? (offlineSince != null ? offlineSince : at) : at;
                on = null;
            }
            case CONNECTING, DISCONNECTING, UNKNOWN -> { }
        }
        return new Tracker(newStatus, tracking, score, lost, turn, on, off, targets, interval, device, source,
                connectedSinceStart, upSince);
    }

    Tracker inTracking(TrackingState newTracking) {
        return new Tracker(status, newTracking, score, lost, turn, onlineSince, offlineSince, targets, interval,
                device, source, connectedSinceStart, upSince);
    }

    Tracker connectedOnce() {
        return new Tracker(status, tracking, score, lost, turn, onlineSince, offlineSince, targets, interval,
                device, source, true, upSince);
    }

    /** Up since {@code at} (null: not up). */
    Tracker upSince(Instant at) {
        return new Tracker(status, tracking, score, lost, turn, onlineSince, offlineSince, targets, interval, device, source,
                connectedSinceStart, at);
    }
}
