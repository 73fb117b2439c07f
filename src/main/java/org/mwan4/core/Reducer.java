package org.mwan4.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.core.Effect.Level;
import org.mwan4.core.Effect.LogLine;
import org.mwan4.core.Event.AddressAdded;
import org.mwan4.core.Event.AddressRemoved;
import org.mwan4.core.Event.ChainsMissing;
import org.mwan4.core.Event.ConfigLoaded;
import org.mwan4.core.Event.KernelApplyFailed;
import org.mwan4.core.Event.LinkChanged;
import org.mwan4.core.Event.LinkRemoved;
import org.mwan4.core.Event.NetlinkResynced;
import org.mwan4.core.Event.OperatorCommanded;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.RouteAdded;
import org.mwan4.core.Event.RouteRemoved;
import org.mwan4.core.Event.ShutdownRequested;
import org.mwan4.core.Event.Ticked;
import org.mwan4.core.State.TrackerKey;
import org.mwan4.core.TrackerMachine.Step;

/**
 * {@code reduce(State, Event) -> Next(State, effects)}: the one place that decides what an event means.
 * Pure: no clock (time comes inside events), no I/O, no randomness; the same events give the same states
 * and effects, byte for byte. A {@link Effect.WriteStatus} ends the effects whenever the
 * {@link StatusSnapshot} changed.
 */
public final class Reducer {
    private final ConfigParser parser;

    /** @param parser how {@link ConfigLoaded} text becomes a config (tests may pass their own) */
    public Reducer(ConfigParser parser) {
        this.parser = parser;
    }

    /** The production reducer: config text goes through {@link ConfigLoader#load}. */
    public static Reducer standard() {
        return new Reducer((path, text, networkPath, networkText) -> ConfigLoader.load(path, text,
                networkPath == null ? ConfigLoader.NETWORK_PATH : networkPath, networkText));
    }

    /** {@link #standard()}'s step. */
    public static Next reduce(State state, Event event) {
        return standard().apply(state, event);
    }

    public Next apply(State state, Event event) {
        var problem = EventChecks.problem(event);
        if (problem.isPresent()) {
            return new Next(state, List.of(new LogLine(Level.ERROR, "ignoring a malformed "
                    + event.getClass().getSimpleName() + " event: " + problem.get() + "; this is a bug of the edge that sent it")));
        }
        Next next = switch (event) {
            case ConfigLoaded e -> ConfigReload.apply(parser, state, e);
            case LinkChanged e -> facts(Facts.link(state, e), e.at());
            case LinkRemoved e -> facts(Facts.linkRemoved(state, e), e.at());
            case AddressAdded e -> facts(Facts.addressAdded(state, e), e.at());
            case AddressRemoved e -> facts(Facts.addressRemoved(state, e), e.at());
            case RouteAdded e -> route(Facts.routeAdded(state, e.route()), e.route(), e.at());
            case RouteRemoved e -> route(Facts.routeRemoved(state, e.route()), e.route(), e.at());
            case NetlinkResynced e -> facts(Facts.resynced(state, e), e.at());
            case ProbeRoundFinished e -> probeRound(state, e);
            case OperatorCommanded e -> command(state, e);
            case Ticked e -> new Next(state.at(e.at()), List.of());
            case KernelApplyFailed e -> new Next(state.at(e.at()), List.of(new LogLine(Level.ERROR,
                    "kernel apply failed: " + e.message() + "; re-reading kernel state and re-planning")));
            case ChainsMissing e -> new Next(state.at(e.at()), List.of(new LogLine(Level.WARN,
                    "our kernel objects are missing (" + String.join(", ", e.missing()) + "), e.g. after fw4 reload;"
                            + " re-creating them")));
            case Event.UseCgroupsPrepared e -> useCgroups(state, e);
            case ShutdownRequested e -> shutdown(state, e);
            case Event.KernelStepApplied e -> new Next(state, List.of()); // a replay marker: the state stays as it is
        };
        return withStatusWrite(state, next);
    }

    /** Facts changed: derived interface facts (device, link, addresses) may move trackers. */
    private static Next facts(State s, Instant at) {
        return Trackers.reconcile(s.at(at), at, List.of());
    }

    /** Routes other than main-table defaults feed only the planner, never a tracker. */
    private static Next route(State s, RouteFact r, Instant at) {
        return Facts.affectsInterfaces(r) ? facts(s, at) : new Next(s.at(at), List.of());
    }

    private static Next probeRound(State s, ProbeRoundFinished e) {
        State at = s.at(e.at());
        TrackerKey key = new TrackerKey(e.iface(), e.family());
        Tracker t = s.trackers().get(key);
        Interface iface = s.configIfLoaded().flatMap(c -> c.iface(e.iface())).orElse(null);
        if (t == null || iface == null || t.tracking() != TrackingState.ACTIVE) {
            // A round that ended after its tracker stopped (or of an interface the config no longer has).
            return new Next(at, List.of(new LogLine(Level.DEBUG, "ignoring a probe round of " + e.iface() + " ("
                    + e.family().id() + "): its tracker is " + (t == null ? "not configured" : t.tracking().id()))));
        }
        Step step = TrackerMachine.round(TrackerContext.of(s, iface, e.family()), t, e);
        TreeMap<TrackerKey, Tracker> trackers = new TreeMap<>(s.trackers());
        trackers.put(key, step.tracker());
        return new Next(at.withTrackers(trackers), step.effects());
    }

    private static Next command(State s, OperatorCommanded e) {
        State at = s.at(e.at());
        if (e.command() == Event.Command.RELOAD) {
            return new Next(at, List.of(new LogLine(Level.INFO,
                    "mwan4 reload: the config is re-read and applied as a config loaded event")));
        }
        String verb = "mwan4 " + e.command().name().toLowerCase(java.util.Locale.ROOT) + " " + e.iface();
        Interface iface = s.configIfLoaded().flatMap(c -> c.iface(e.iface())).orElse(null);
        if (iface == null || !iface.enabled()) {
            return new Next(at, List.of(new LogLine(Level.WARN, verb + ": no enabled interface '" + e.iface()
                    + "' in the config; nothing to do")));
        }
        TreeSet<String> down = new TreeSet<>(s.operatorDown());
        List<Effect> fx = new ArrayList<>();
        fx.add(new LogLine(Level.INFO, verb));
        if (e.command() == Event.Command.IFDOWN) {
            down.add(iface.name());
            return Trackers.reconcile(at.withOperatorDown(down), e.at(), fx);
        }
        down.remove(iface.name());
        State up = at.withOperatorDown(down);
        // ifup restarts tracking of a running interface too (mwan3: a fresh tracker start).
        TreeMap<TrackerKey, Tracker> trackers = new TreeMap<>(up.trackers());
        for (Family f : Trackers.families(iface)) {
            TrackerKey key = new TrackerKey(iface.name(), f);
            Tracker t = trackers.get(key);
            TrackerContext c = TrackerContext.of(up, iface, f);
            if (t != null && t.running() && c.mode() == TrackerContext.Mode.RUN) {
                Step step = TrackerMachine.start(c, t, e.at(), true);
                trackers.put(key, step.tracker());
                fx.addAll(step.effects());
            }
        }
        return Trackers.reconcile(up.withTrackers(trackers), e.at(), fx);
    }

    /** Only the planner reads them (the output hook's cgroup rules); a problem is worth a warning. */
    private static Next useCgroups(State s, Event.UseCgroupsPrepared e) {
        UseCgroups u = UseCgroups.of(e);
        LogLine line = u.problem().isEmpty()
                ? new LogLine(Level.INFO, "mwan4 use: cgroups for " + String.join(", ", u.interfaces()) + " under " + u.directory())
                : new LogLine(Level.WARN, "mwan4 use is unavailable: " + u.problem()
                        + "; commands cannot be sent through a chosen interface, other traffic is not affected");
        return new Next(s.at(e.at()).withUseCgroups(u), List.of(line));
    }

    private static Next shutdown(State s, ShutdownRequested e) {
        State at = s.at(e.at());
        List<Effect> stops = new ArrayList<>();
        List<Effect> hooks = new ArrayList<>();
        TreeMap<TrackerKey, Tracker> trackers = new TreeMap<>(s.trackers());
        s.trackers().forEach((key, t) -> {
            Interface iface = s.configIfLoaded().flatMap(c -> c.iface(key.iface())).orElse(null);
            if (iface == null) {
                stops.add(new Effect.StopTracker(key.iface(), key.family()));
                return;
            }
            Step step = TrackerMachine.shutdown(TrackerContext.of(s, iface, key.family()), t);
            trackers.put(key, step.tracker());
            step.effects().forEach(fx -> (fx instanceof Effect.StopTracker ? stops : hooks).add(fx));
        });
        List<Effect> fx = new ArrayList<>();
        fx.add(new LogLine(Level.INFO, "shutting down: stopping " + s.trackers().size() + " trackers"
                + (e.keepRules() ? ", keeping the rules in place" : "")));
        fx.addAll(stops);
        fx.addAll(hooks);
        return new Next(at.withTrackers(trackers), fx);
    }

    /** Appends WriteStatus when anything the status file shows changed. */
    private static Next withStatusWrite(State before, Next next) {
        if (sameVisible(before, next.state())) {
            return next;
        }
        List<Effect> fx = new ArrayList<>(next.effects());
        fx.add(new Effect.WriteStatus());
        return new Next(next.state(), fx);
    }

    /**
     * Whether the two states show the same {@link StatusSnapshot}. When only trackers changed (every probe
     * round) it compares just their visible fields instead of building two snapshots.
     */
    private static boolean sameVisible(State a, State b) {
        if (a == b) {
            return true;
        }
        boolean factsSame = a.config() == b.config() && a.links() == b.links() && a.addresses() == b.addresses()
                && a.routes() == b.routes() && a.operatorDown().equals(b.operatorDown());
        if (!factsSame || !a.trackers().keySet().equals(b.trackers().keySet())) {
            return StatusSnapshot.of(a).equals(StatusSnapshot.of(b));
        }
        for (var e : a.trackers().entrySet()) {
            if (!StatusSnapshot.sameVisible(e.getValue(), b.trackers().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
