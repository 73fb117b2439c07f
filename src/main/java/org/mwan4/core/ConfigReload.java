package org.mwan4.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.Diagnostic;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.Tracking;
import org.mwan4.core.Effect.Level;
import org.mwan4.core.Effect.LogLine;
import org.mwan4.core.Event.ConfigLoaded;
import org.mwan4.core.State.TrackerKey;
import org.mwan4.core.TrackerMachine.Step;

/**
 * A config (re)load is an event like any other. A rejected config changes nothing (same state, error lines).
 * A valid one keeps every tracker whose interface's relevant config did not change, restarts the changed
 * ones, starts new ones and stops the ones that left: no restart of everything.
 */
final class ConfigReload {
    private ConfigReload() {}

    /**
     * What a tracker's probes depend on: a change restarts it. Everything else (initial_state,
     * flush_conntrack, routes, strategies, rules) applies without touching the tracker.
     */
    record Identity(int id, String device, int probeMark, Tracking tracking) {
        static Identity of(State s, Interface iface, Family f) {
            return new Identity(iface.id(), s.device(iface.name()).orElse(null), s.config().marks().defaultMark(),
                    TrackerContext.of(s, iface, f).familyTracking());
        }
    }

    static Next apply(ConfigParser parser, State s, ConfigLoaded e) {
        Config config;
        try {
            config = parser.parse(e.path(), e.text(), e.networkPath(), e.networkText());
        } catch (ConfigException x) {
            return new Next(s, rejected(s, e, x.errors().stream().map(Diagnostic::toString).toList()));
        } catch (RuntimeException x) {
            return new Next(s, rejected(s, e, List.of(e.path() + ": the config loader failed: " + x)));
        }
        if (config == null) {
            return new Next(s, rejected(s, e, List.of(e.path() + ": the config loader returned nothing")));
        }
        return applyValid(s, e, config);
    }

    private static List<Effect> rejected(State s, ConfigLoaded e, List<String> errors) {
        List<Effect> fx = new ArrayList<>();
        fx.add(new LogLine(Level.ERROR, "config " + e.path() + " rejected (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "); "
                + (s.config() == null ? "nothing is managed until a valid config is loaded"
                : "keeping the config loaded before (" + s.config().path() + ")")));
        errors.forEach(msg -> fx.add(new LogLine(Level.ERROR, msg)));
        return fx;
    }

    private static Next applyValid(State before, ConfigLoaded e, Config config) {
        List<Effect> fx = new ArrayList<>();
        fx.add(new LogLine(Level.INFO, "config " + e.path() + (before.config() == null ? " loaded: " : " reloaded: ")
                + config.interfaces().size() + " interfaces, " + config.routes().size() + " routes, "
                + config.strategies().size() + " strategies, " + config.rules().size() + " rules"));
        config.warnings().forEach(w -> fx.add(new LogLine(Level.WARN, w.toString())));

        TreeSet<String> operatorDown = new TreeSet<>(before.operatorDown());
        operatorDown.removeIf(name -> config.iface(name).isEmpty());
        State after = before.withConfig(config).withOperatorDown(operatorDown).at(e.at());

        TreeMap<TrackerKey, Tracker> trackers = new TreeMap<>();
        List<String> kept = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> started = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        // Trackers that leave the config stop first, in key order.
        before.trackers().forEach((key, t) -> {
            Interface now = config.iface(key.iface()).filter(Interface::enabled).filter(i -> i.has(key.family())).orElse(null);
            if (now == null) {
                String reason = config.iface(key.iface()).isEmpty() ? "removed from the config"
                        : !config.iface(key.iface()).get().enabled() ? "disabled in the config"
                        : "family " + key.family().id() + " removed from the config";
                Interface old = before.configIfLoaded().flatMap(c -> c.iface(key.iface())).orElse(null);
                if (old != null) {
                    fx.addAll(TrackerMachine.halt(TrackerContext.of(before, old, key.family()), t,
                            TrackerMachine.Halt.REMOVED, e.at(), reason).effects());
                } else {
                    fx.add(new Effect.StopTracker(key.iface(), key.family()));
                }
                stopped.add(label(key));
            }
        });
        for (Interface iface : config.interfaces()) {
            if (!iface.enabled()) {
                continue;
            }
            for (Family f : Trackers.families(iface)) {
                TrackerKey key = new TrackerKey(iface.name(), f);
                Tracker old = before.trackers().get(key);
                TrackerContext ctx = TrackerContext.of(after, iface, f);
                Step step;
                if (old == null) {
                    step = Trackers.settle(ctx, null, e.at());
                    started.add(label(key));
                } else if (before.configIfLoaded().flatMap(c -> c.iface(iface.name()))
                        .map(i -> Identity.of(before, i, f)).filter(id -> id.equals(Identity.of(after, iface, f)))
                        .isPresent()) {
                    step = Trackers.settle(ctx, old, e.at());
                    kept.add(label(key));
                } else {
                    step = restart(ctx, old, e);
                    restarted.add(label(key));
                }
                trackers.put(key, step.tracker());
                fx.addAll(step.effects());
            }
        }
        if (before.config() != null) {
            fx.add(new LogLine(Level.INFO, "reload: kept " + list(kept) + "; restarted " + list(restarted)
                    + "; started " + list(started) + "; stopped " + list(stopped)));
        }
        return new Next(after.withTrackers(trackers), fx);
    }

    /** Changed tracking, device, id or mark: a fresh start; hooks fire only if the status really changes. */
    private static Step restart(TrackerContext ctx, Tracker old, ConfigLoaded e) {
        return switch (ctx.mode()) {
            case RUN -> TrackerMachine.start(ctx, old, e.at(), !old.running());
            case PAUSE -> TrackerMachine.halt(ctx, old, TrackerMachine.Halt.PAUSE, e.at(), Trackers.pauseReason(ctx));
            case DOWN -> TrackerMachine.halt(ctx, old, TrackerMachine.Halt.OPERATOR, e.at(), "mwan4 ifdown");
        };
    }

    private static String label(TrackerKey k) {
        return k.iface() + " (" + k.family().id() + ")";
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
