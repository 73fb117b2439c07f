package org.mwan4.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;

/**
 * Drives the reducer through events, as the daemon would, and remembers the last step's effects. Time is
 * seconds after {@link #T0}; every call advances the clock by one second unless told otherwise.
 */
final class Lab {
    static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    final TestConfigs.Parser parser = new TestConfigs.Parser();
    final Reducer reducer = new Reducer(parser);
    State state = State.initial();
    List<Effect> last = List.of();
    final List<Effect> all = new ArrayList<>();
    int clock;

    static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Loads the config (as text "cfg-N") at the current time. */
    Lab load(Config config) {
        String text = "cfg-" + parser.hashCode() + "-" + clock + "-" + config.hashCode();
        parser.with(text, config);
        return apply(new Event.ConfigLoaded(now(), config.path(), text, null, null));
    }

    Lab load(TestConfigs.ConfigBuilder b) {
        return load(b.build());
    }

    Lab link(int ifindex, String name, boolean up) {
        return apply(new Event.LinkChanged(now(), ifindex, name, up, up, up ? "UP" : "DOWN"));
    }

    Lab carrier(int ifindex, String name, boolean carrier) {
        return apply(new Event.LinkChanged(now(), ifindex, name, true, carrier, carrier ? "UP" : "LOWERLAYERDOWN"));
    }

    Lab addr(int ifindex, String cidr) {
        return apply(new Event.AddressAdded(now(), ifindex, Cidr.parse(cidr).orElseThrow()));
    }

    Lab defaultRoute(int ifindex, String gateway) {
        return apply(new Event.RouteAdded(now(), defaultRouteFact(ifindex, gateway)));
    }

    static RouteFact defaultRouteFact(int ifindex, String gateway) {
        var gw = TestConfigs.ip(gateway);
        Cidr dst = new Cidr(gw.masked(0), 0);
        return new RouteFact(RouteFact.TABLE_MAIN, gw.family(), dst, gw, ifindex, 0, "unicast", 4, 0, null, null);
    }

    /** One probe round: one letter per target in config order, U up, D down, S skipped. */
    Lab round(String iface, Family f, String letters) {
        Tracker t = state.trackers().get(new State.TrackerKey(iface, f));
        List<TargetResult> results = new ArrayList<>();
        for (int i = 0; i < letters.length(); i++) {
            var target = t.targets().get(i).address();
            results.add(switch (letters.charAt(i)) {
                case 'U' -> new TargetResult(target, TargetStatus.UP, 20.0, 0, null);
                case 'D' -> new TargetResult(target, TargetStatus.DOWN, null, 100, null);
                case 'S' -> new TargetResult(target, TargetStatus.SKIPPED, null, 0, null);
                default -> throw new IllegalArgumentException("round letter " + letters.charAt(i));
            });
        }
        return apply(new Event.ProbeRoundFinished(now(), iface, f, results));
    }

    Lab round(String iface, String letters) {
        return round(iface, Family.IPV4, letters);
    }

    Lab rounds(String iface, String... letters) {
        for (String l : letters) {
            round(iface, l);
        }
        return this;
    }

    Lab command(Event.Command c, String iface) {
        return apply(new Event.OperatorCommanded(now(), c, iface));
    }

    Lab apply(Event e) {
        Next next = reducer.apply(state, e);
        state = next.state();
        last = next.effects();
        all.addAll(last);
        return this;
    }

    Instant now() {
        return t(clock++);
    }

    Tracker tracker(String iface, Family f) {
        return state.trackers().get(new State.TrackerKey(iface, f));
    }

    Tracker tracker(String iface) {
        return tracker(iface, Family.IPV4);
    }

    /** Replaces a tracker (a given for table tests). */
    Lab given(String iface, Family f, Tracker t) {
        var m = new java.util.TreeMap<>(state.trackers());
        m.put(new State.TrackerKey(iface, f), t);
        state = state.withTrackers(m);
        return this;
    }

    List<String> actions() {
        return EffectText.actions(last);
    }

    List<String> logs() {
        return EffectText.logs(last);
    }
}
