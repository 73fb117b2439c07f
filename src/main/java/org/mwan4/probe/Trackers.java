package org.mwan4.probe;

import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.mwan4.config.Tracking;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.State.TrackerKey;
import org.mwan4.probe.method.ProbePath;
import org.mwan4.probe.method.Prober;
import org.mwan4.probe.net.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running trackers, keyed by interface and family, started, retimed and stopped by the reducer's
 * effects. Runs on the scheduler's thread; time and probers are injected, so tests drive it with a manual
 * clock and scripted probers.
 */
public final class Trackers {
    private static final Logger LOG = LoggerFactory.getLogger(Trackers.class);

    /** Opens the prober for one tracker (on the scheduler's thread). */
    @FunctionalInterface
    public interface ProberFactory {
        Prober open(ProbePath path, Tracking tracking);
    }

    private final Scheduler scheduler;
    private final ProberFactory probers;
    private final Consumer<ProbeRoundFinished> out;
    private final SortedMap<TrackerKey, TrackerRun> running = new TreeMap<>();

    public Trackers(Scheduler scheduler, ProberFactory probers, Consumer<ProbeRoundFinished> out) {
        this.scheduler = scheduler;
        this.probers = probers;
        this.out = e -> {
            try {
                out.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("probe round listener failed on {}: {}; probing goes on", e, ex.toString(), ex);
            }
        };
    }

    /** Handles a tracker effect; returns false for effects that are not the probe engine's business. */
    public boolean apply(Effect effect) {
        return switch (effect) {
            case Effect.StartTracker s -> {
                start(s);
                yield true;
            }
            case Effect.StopTracker s -> {
                stop(new TrackerKey(s.iface(), s.family()));
                yield true;
            }
            case Effect.RetimeTracker r -> {
                retime(r);
                yield true;
            }
            case Effect.RunHook h -> false;
            case Effect.FlushConntrack f -> false;
            case Effect.WriteStatus w -> false;
            case Effect.LogLine l -> false;
        };
    }

    /** Keys of the trackers that are probing now. */
    public SortedSet<TrackerKey> running() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(running.keySet()));
    }

    /** Stops every tracker (at shutdown). */
    public void stopAll() {
        for (TrackerKey k : new TreeSet<>(running.keySet())) {
            stop(k);
        }
    }

    private void start(Effect.StartTracker s) {
        TrackerKey key = new TrackerKey(s.iface(), s.family());
        stop(key);
        Tracking t = s.tracking();
        long interval = positive(s.interval(), t.interval());
        if (interval <= 0) {
            LOG.warn("not probing {}: interval {} is not positive", key, s.interval());
            return;
        }
        if (s.device() == null || s.device().isBlank()) {
            LOG.warn("not probing {}: no device (probes must be bound to the WAN's device, else they could leave through another WAN)", key);
            return;
        }
        if (t.targets(s.family()).isEmpty()) {
            LOG.info("not probing {}: no {} track_ip", key, s.family().id());
            return;
        }
        ProbePath path = new ProbePath(s.iface(), s.family(), s.device(), s.source(), s.mark());
        Prober prober = probers.open(path, t);
        long first = scheduler.nanoTime() + Math.max(0, s.firstDelay() == null ? 0 : s.firstDelay().toNanos());
        TrackerRun run = switch (t.mode()) {
            case ROUNDS -> new RoundTracker(s.iface(), s.family(), t, prober, scheduler, out, first, interval);
            case CONTINUOUS -> new ContinuousTracker(s.iface(), s.family(), t, prober, scheduler, out, first, interval);
        };
        running.put(key, run);
        LOG.debug("probing {} with {} through {} every {}", key, t.method().id(), path.describe(), Duration.ofNanos(interval));
    }

    private void stop(TrackerKey key) {
        TrackerRun r = running.remove(key);
        if (r != null) {
            r.stop();
        }
    }

    private void retime(Effect.RetimeTracker r) {
        TrackerRun run = running.get(new TrackerKey(r.iface(), r.family()));
        long interval = r.interval() == null ? 0 : r.interval().toNanos();
        if (run != null && interval > 0) {
            run.retime(interval);
        }
    }

    private static long positive(Duration d, Duration fallback) {
        Duration x = d != null ? d : fallback;
        return x == null ? 0 : x.toNanos();
    }
}
