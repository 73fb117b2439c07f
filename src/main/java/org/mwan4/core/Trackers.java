package org.mwan4.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.core.State.TrackerKey;
import org.mwan4.core.TrackerMachine.Step;

/**
 * Keeps every tracker in line with the facts (level-based, like a reconcile loop): each enabled interface and
 * family has one; it runs while its device exists and is up and the operator has not taken it down, is paused
 * (disabled) while the link is down or missing, and stays offline after {@code mwan4 ifdown}.
 */
final class Trackers {
    private Trackers() {}

    /** The enabled interfaces' families in a fixed order: config order, then ipv4 before ipv6. */
    static List<Family> families(Interface iface) {
        return iface.families().stream().distinct().sorted().toList();
    }

    /** Settles every tracker against the state's facts; effects in config order. */
    static Next reconcile(State s, Instant at, List<Effect> before) {
        Config config = s.config();
        if (config == null) {
            return new Next(s, before);
        }
        List<Effect> fx = new ArrayList<>(before);
        TreeMap<TrackerKey, Tracker> trackers = new TreeMap<>(s.trackers());
        boolean changed = false;
        for (Interface iface : config.interfaces()) {
            if (!iface.enabled()) {
                continue;
            }
            for (Family f : families(iface)) {
                TrackerKey key = new TrackerKey(iface.name(), f);
                Tracker t = trackers.get(key);
                Step step = settle(TrackerContext.of(s, iface, f), t, at);
                if (!step.tracker().equals(t)) {
                    trackers.put(key, step.tracker());
                    changed = true;
                }
                fx.addAll(step.effects());
            }
        }
        return new Next(changed ? s.withTrackers(trackers) : s, fx);
    }

    /** One tracker: start, pause, stop or re-bind it as the facts say (null: it does not exist yet). */
    static Step settle(TrackerContext c, Tracker t, Instant at) {
        TrackerContext.Mode mode = c.mode();
        if (t == null) {
            return switch (mode) {
                case RUN -> TrackerMachine.start(c, null, at, true);
                case PAUSE -> TrackerMachine.halt(c, null, TrackerMachine.Halt.PAUSE, at, pauseReason(c));
                case DOWN -> TrackerMachine.halt(c, null, TrackerMachine.Halt.OPERATOR, at, "mwan4 ifdown");
            };
        }
        boolean rebound = !Objects.equals(t.device(), c.device()) || !Objects.equals(t.source(), c.source());
        return switch (mode) {
            case RUN -> !t.running() ? TrackerMachine.start(c, t, at, true)
                    : rebound ? TrackerMachine.rebind(c, t) : new Step(t, List.of());
            case PAUSE -> t.status() != TrackerStatus.DISABLED
                    ? TrackerMachine.halt(c, t, TrackerMachine.Halt.PAUSE, at, pauseReason(c))
                    : new Step(t.withBinding(c.device(), c.source()), List.of());
            case DOWN -> t.status() != TrackerStatus.OFFLINE || t.tracking() != TrackingState.DOWN
                    ? TrackerMachine.halt(c, t, TrackerMachine.Halt.OPERATOR, at, "mwan4 ifdown")
                    : new Step(t, List.of());
        };
    }

    static String pauseReason(TrackerContext c) {
        if (c.device() == null) {
            return "it has no device (no option device, no /etc/config/network entry, no link named '" + c.name() + "')";
        }
        return c.linkExists() ? "link " + c.device() + " is down" : "device " + c.device() + " does not exist";
    }
}
