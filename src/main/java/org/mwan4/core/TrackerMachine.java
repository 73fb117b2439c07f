package org.mwan4.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.HookAction;
import org.mwan4.config.Interface;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;
import org.mwan4.core.Effect.Level;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Tracker.Target;
import org.mwan4.core.Tracker.Verdict;

/**
 * The tracker state machine of one interface and family, as mwan3-reference "The tracker" describes
 * (mwan3track's score/up/down loop), as pure functions: a tracker and what happened in, the next tracker and
 * its effects out, in the order the edges run them: the log line first, then hooks (each followed by its
 * conntrack flush when the interface lists that action) and tracker start/stop/retime as they happen.
 */
final class TrackerMachine {
    private TrackerMachine() {}

    record Step(Tracker tracker, List<Effect> effects) {}

    /**
     * Starts (or restarts) tracking: status from {@code initial_state} (online while the link is up when the family
     * has no track_ip). Hooks fire only for a real change against {@code prev}: online after not being online is
     * connected (FIRSTCONNECT: the first since this start), offline after being online is disconnected.
     *
     * @param prev     the tracker before (null: none); an active one is stopped first
     * @param ifupHook run the ifup hook first (the interface came up: link, operator, or newly configured)
     */
    static Step start(TrackerContext c, Tracker prev, Instant at, boolean ifupHook) {
        List<Effect> fx = new ArrayList<>();
        TrackerStatus prevStatus = prev == null ? TrackerStatus.UNKNOWN : prev.status();
        boolean wasUsable = prev != null && prev.usable();
        int max = c.down() + c.up();
        Tracker t;
        if (c.tracked()) {
            boolean online = c.iface().initialState() == Interface.InitialState.ONLINE;
            Duration interval = c.tracking().interval();
            t = new Tracker(prevStatus, TrackingState.ACTIVE, online ? max : 0, 0, 0,
                    prev == null ? null : prev.onlineSince(), prev == null ? null : prev.offlineSince(),
                    freshTargets(c), interval, c.device(), c.source(), false)
                    .inStatus(online ? TrackerStatus.ONLINE : TrackerStatus.OFFLINE, at);
            fx.add(log(Level.INFO, c.label() + " tracking started on " + c.device() + ": " + t.status().id()
                    + " (initial_state), " + c.targets().size() + " target" + plural(c.targets().size())
                    + " every " + seconds(interval)));
        } else {
            t = new Tracker(prevStatus, TrackingState.DISABLED, max, 0, 0,
                    prev == null ? null : prev.onlineSince(), prev == null ? null : prev.offlineSince(),
                    List.of(), Duration.ZERO, c.device(), c.source(), false)
                    .inStatus(TrackerStatus.ONLINE, at);
            fx.add(log(Level.INFO, c.label() + " is online: link " + c.device() + " is up and it has no "
                    + c.family().id() + " track_ip (not tracked)"));
        }
        // up since this start, unless it was already running (a restart for a config change keeps its uptime)
        t = t.upSince(prev != null && prev.running() && prev.upSince() != null ? prev.upSince() : at);
        if (ifupHook) {
            hook(fx, c, HookAction.IFUP, false, false);
        }
        if (prev != null && prev.tracking() == TrackingState.ACTIVE) {
            fx.add(new Effect.StopTracker(c.name(), c.family()));
        }
        if (c.tracked()) {
            fx.add(new Effect.StartTracker(c.name(), c.family(), c.device(), c.source(), c.probeMark(), c.familyTracking(),
                    Duration.ZERO, t.interval()));
        }
        boolean online = t.status() == TrackerStatus.ONLINE;
        if (online) {
            if (!wasUsable) {
                hook(fx, c, HookAction.CONNECTED, true, false);
            }
            t = t.connectedOnce();
        } else if (wasUsable) {
            hook(fx, c, HookAction.DISCONNECTED, false, false);
        }
        return new Step(t, fx);
    }

    /** Why a tracker stops. */
    enum Halt {
        /** Link down or no device: status disabled, tracking paused until the link is back. */
        PAUSE,
        /** {@code mwan4 ifdown}: status offline until {@code mwan4 ifup}. */
        OPERATOR,
        /** Left the config (interface removed or disabled, family dropped): stopped, then dropped from the state. */
        REMOVED
    }

    /**
     * Stops tracking. A running tracker gets the ifdown hook, then disconnected if it was online or disconnecting
     * (mwan3: the hotplug ifdown, then the tracker's disconnected).
     */
    static Step halt(TrackerContext c, Tracker prev, Halt why, Instant at, String reason) {
        List<Effect> fx = new ArrayList<>();
        boolean pause = why == Halt.PAUSE;
        boolean wasRunning = prev != null && prev.running();
        Tracker base = prev != null ? prev
                : new Tracker(TrackerStatus.UNKNOWN, TrackingState.DOWN, 0, 0, 0, null, null, freshTargets(c),
                Duration.ZERO, null, null, false);
        TrackingState tracking = pause ? (c.tracked() ? TrackingState.PAUSED : TrackingState.DISABLED) : TrackingState.DOWN;
        Tracker t = base.inStatus(pause ? TrackerStatus.DISABLED : TrackerStatus.OFFLINE, at)
                .inTracking(tracking)
                .withScore(0, base.lost(), base.turn())
                .withInterval(Duration.ZERO)
                .withBinding(c.device(), c.source())
                .withTargets(keptTargets(c, base))
                .upSince(null);
        if (t.status() != base.status() || wasRunning || why == Halt.REMOVED) {
            String what = switch (why) {
                case PAUSE -> " is disabled: " + reason + ", tracking paused";
                case OPERATOR -> " is offline: " + reason + ", tracking stopped until mwan4 ifup";
                case REMOVED -> " is no longer tracked: " + reason;
            };
            fx.add(log(Level.INFO, c.label() + what));
        }
        if (prev != null && prev.tracking() == TrackingState.ACTIVE) {
            fx.add(new Effect.StopTracker(c.name(), c.family()));
        }
        if (wasRunning) {
            // The hooks name the device it ran on (the new one may not exist).
            TrackerContext ran = prev.device() == null ? c : c.onDevice(prev.device());
            hook(fx, ran, HookAction.IFDOWN, false, false);
            if (prev.usable()) {
                hook(fx, ran, HookAction.DISCONNECTED, false, false);
            }
        }
        return new Step(t, fx);
    }

    /** The device or source address changed under a running tracker: probes re-bind, score and status stay. */
    static Step rebind(TrackerContext c, Tracker t) {
        Tracker next = t.withBinding(c.device(), c.source());
        if (t.tracking() != TrackingState.ACTIVE) {
            return new Step(next, List.of());
        }
        return new Step(next, List.of(
                log(Level.INFO, c.label() + " probes now leave " + c.device() + " from "
                        + (c.source() == null ? "any address" : c.source().toString())
                        + " (were " + t.device() + " from " + (t.source() == null ? "any address" : t.source()) + ")"),
                new Effect.StartTracker(c.name(), c.family(), c.device(), c.source(), c.probeMark(), c.familyTracking(),
                        Duration.ZERO, t.interval())));
    }

    /**
     * The daemon stops: the tracker stops probing (StopTracker for every tracker, running or not, so no probe
     * survives) and, if it was running, the ifdown hook runs with the shutdown flag. No conntrack flush: the
     * connections may outlive the daemon (rules can be kept).
     */
    static Step shutdown(TrackerContext c, Tracker t) {
        List<Effect> fx = new ArrayList<>();
        fx.add(new Effect.StopTracker(c.name(), c.family()));
        if (t.running()) {
            fx.add(new Effect.RunHook(HookAction.IFDOWN, c.name(), c.family(), c.deviceOrEmpty(), false, true));
        }
        return new Step(t.inTracking(TrackingState.DOWN).withInterval(Duration.ZERO), fx);
    }

    /** One probe round: classify each target, then score it the mwan3track way. */
    static Step round(TrackerContext c, Tracker t, ProbeRoundFinished e) {
        Tracking tr = c.tracking();
        List<Target> targets = new ArrayList<>(keptTargets(c, t));
        int upCount = 0;
        int downCount = 0;
        for (int i = 0; i < targets.size(); i++) {
            IpAddress a = targets.get(i).address();
            TargetResult r = e.results().stream().filter(x -> a.equals(x.target())).findFirst().orElse(null);
            if (r == null) {
                continue;
            }
            Verdict v = classify(tr.quality(), r);
            targets.set(i, new Target(a, v, r.latencyMs(), r.lossPercent(), r.jitterMs()));
            upCount += v == Verdict.UP ? 1 : 0;
            downCount += v == Verdict.DOWN ? 1 : 0;
        }
        Tracker scored = t.withTargets(targets);
        return upCount >= c.reliability() ? goodRound(c, scored, e.at(), upCount) : failedRound(c, scored, e.at(), downCount);
    }

    /**
     * check_quality: a target is down when loss >= failure_loss or latency >= failure_latency, up when loss <=
     * recovery_loss and latency <= recovery_latency, neither (mwan3 writes "skipped") in between. It judges only
     * targets that answered; without it the probe's verdict stands.
     */
    static Verdict classify(Tracking.Quality q, TargetResult r) {
        if (r.status() == Event.TargetStatus.SKIPPED) {
            return Verdict.SKIPPED;
        }
        if (r.status() == Event.TargetStatus.DOWN) {
            return Verdict.DOWN; // a probe that failed is down whatever it measured (mwan3: ping's exit code first)
        }
        if (!q.enabled()) {
            return Verdict.UP;
        }
        double latency = r.latencyMs() == null ? Double.POSITIVE_INFINITY : r.latencyMs();
        if (r.lossPercent() >= q.failureLossPercent() || latency >= q.failureLatencyMs()) {
            return Verdict.DOWN;
        }
        if (r.lossPercent() <= q.recoveryLossPercent() && latency <= q.recoveryLatencyMs()) {
            return Verdict.UP;
        }
        return Verdict.SKIPPED;
    }

    /** A failed round: score--; below up back to 0 (offline), equal to up offline, above up disconnecting. */
    private static Step failedRound(TrackerContext c, Tracker t, Instant at, int downCount) {
        List<Effect> fx = new ArrayList<>();
        Tracking tr = c.tracking();
        int up = c.up();
        int n = c.targets().size();
        String last = "last: " + downCount + " of " + n + " target" + plural(n) + " down";
        Duration wait = tr.interval();
        int score = t.score() - 1;
        Tracker next = t;
        if (score < up) {
            // Offline, or connecting: any failure starts over.
            score = 0;
            if (tr.keepFailureInterval()) {
                wait = tr.failureInterval();
            }
            if (t.status() == TrackerStatus.CONNECTING) {
                // mwan3 left the status at "connecting" with score 0; it is offline again. No hook: it never went
                // online (mwan3 skips disconnected unless the interface was online or disconnecting).
                next = next.inStatus(TrackerStatus.OFFLINE, at);
                fx.add(log(Level.INFO, c.label() + " is offline again: a round failed after " + t.score() + " of " + up
                        + " good rounds, " + last));
            }
        } else {
            wait = tr.failureInterval();
            if (t.status() != TrackerStatus.DISCONNECTING) {
                next = next.inStatus(TrackerStatus.DISCONNECTING, at);
                fx.add(log(Level.INFO, c.label() + " is disconnecting: " + (c.down() + up - score) + " of " + c.down()
                        + " failed rounds, " + last));
                hook(fx, c, HookAction.DISCONNECTING, false, false);
            }
            if (score == up) {
                score = 0;
                next = next.inStatus(TrackerStatus.OFFLINE, at);
                fx.add(log(Level.WARN, c.label() + " is offline: " + c.down() + " failed round" + plural(c.down())
                        + ", " + last));
                hook(fx, c, HookAction.DISCONNECTED, false, false);
            }
        }
        return finish(c, t, next.withScore(score, t.lost() + downCount, t.turn()), fx, wait);
    }

    /** A good round: score++; below up connecting, equal to up online (score = down+up), above up stays online. */
    private static Step goodRound(TrackerContext c, Tracker t, Instant at, int upCount) {
        List<Effect> fx = new ArrayList<>();
        Tracking tr = c.tracking();
        int up = c.up();
        int n = c.targets().size();
        String last = "last: " + upCount + " of " + n + " target" + plural(n) + " up";
        Duration wait = tr.interval();
        int score = t.score() + 1;
        int turn = t.turn();
        Tracker next = t;
        if (score < up) {
            wait = tr.recoveryInterval();
            if (t.status() != TrackerStatus.CONNECTING) {
                next = next.inStatus(TrackerStatus.CONNECTING, at);
                fx.add(log(Level.INFO, c.label() + " is connecting: " + score + " of " + up + " good rounds, " + last));
                hook(fx, c, HookAction.CONNECTING, false, false);
            }
        } else if (score == up) {
            if (t.status() != TrackerStatus.CONNECTING) {
                // mwan3 runs connecting first here too (up=1 goes from offline to online in one round).
                next = next.inStatus(TrackerStatus.CONNECTING, at);
                hook(fx, c, HookAction.CONNECTING, false, false);
            }
            score = c.down() + up;
            turn = 0;
            next = next.inStatus(TrackerStatus.ONLINE, at).connectedOnce();
            fx.add(log(Level.INFO, c.label() + " is online: " + up + " good round" + plural(up) + ", " + last));
            hook(fx, c, HookAction.CONNECTED, !t.connectedSinceStart(), false);
        } else {
            score = c.down() + up;
            if (t.status() == TrackerStatus.DISCONNECTING) {
                // mwan3 wrote "online" to the status file but kept STATUS=disconnecting in memory: the status it
                // reported went stale and the next failure ran no disconnecting hook. Here it is online again for
                // real. No hook: it never went offline; the next failure runs disconnecting again.
                next = next.inStatus(TrackerStatus.ONLINE, at);
                fx.add(log(Level.INFO, c.label() + " is online again: recovered while disconnecting, " + last));
            }
        }
        return finish(c, t, next.withScore(score, 0, turn), fx, wait);
    }

    /** Every round counts a turn; a changed wait is told to the probe engine. */
    private static Step finish(TrackerContext c, Tracker before, Tracker next, List<Effect> fx, Duration wait) {
        Tracker done = next.withScore(next.score(), next.lost(), next.turn() + 1);
        if (!wait.equals(before.interval())) {
            fx.add(new Effect.RetimeTracker(c.name(), c.family(), wait));
            done = done.withInterval(wait);
        }
        return new Step(done, fx);
    }

    /** Runs a hook, then flushes the interface's conntrack entries when its flush_conntrack lists the action. */
    private static void hook(List<Effect> fx, TrackerContext c, HookAction action, boolean firstConnect, boolean shutdown) {
        fx.add(new Effect.RunHook(action, c.name(), c.family(), c.deviceOrEmpty(), firstConnect, shutdown));
        if (c.flushConntrack().contains(action) && c.ifaceMark() != 0) {
            fx.add(new Effect.FlushConntrack(c.name(), c.family(), c.ifaceMark(), c.mask()));
        }
    }

    private static List<Target> freshTargets(TrackerContext c) {
        return c.targets().stream().map(Target::unknown).toList();
    }

    /** This family's configured targets, each with its last result when the tracker already knew it. */
    private static List<Target> keptTargets(TrackerContext c, Tracker t) {
        return c.targets().stream()
                .map(a -> t.targets().stream().filter(x -> x.address().equals(a)).findFirst().orElse(Target.unknown(a)))
                .toList();
    }

    private static Effect.LogLine log(Level level, String message) {
        return new Effect.LogLine(level, message);
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }

    /** {@code 10s}, {@code 1.5s}. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : (ms / 1000.0) + "s";
    }
}
