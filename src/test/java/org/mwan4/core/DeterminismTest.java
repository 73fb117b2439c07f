package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Config;
import org.mwan4.config.Interface;

/**
 * Same events, same states and effects; and random event sequences (fixed seeds) never break the reducer
 * nor the tracker invariants.
 */
class DeterminismTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 10);
    }

    @ParameterizedTest(name = "seed {0}: two runs give equal states and effects")
    @MethodSource("seeds")
    void sameEventsSameResult(long seed) {
        List<LoggedEvent> events = RandomEvents.generate(seed, 1000);
        List<Replay.Step> a = Replay.run(new Reducer(RandomEvents.PARSER), State.initial(), events);
        List<Replay.Step> b = Replay.run(new Reducer(RandomEvents.PARSER), State.initial(), events);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            // effects print the same (what a replay prints), states are equal
            if (!a.get(i).effects().toString().equals(b.get(i).effects().toString()) || !a.get(i).state().equals(b.get(i).state())) {
                throw new AssertionError("seed " + seed + ": runs differ at seq " + a.get(i).seq());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}: invariants hold after every step")
    @MethodSource("seeds")
    void invariantsHold(long seed) {
        Reducer reducer = new Reducer(RandomEvents.PARSER);
        State s = State.initial();
        for (LoggedEvent le : RandomEvents.generate(seed, 1000)) {
            Next next = reducer.apply(s, le.event());
            String where = "seed " + seed + " seq " + le.seq();
            checkState(next.state(), where);
            checkEffects(next, where);
            boolean changed = !StatusSnapshot.of(s).equals(StatusSnapshot.of(next.state()));
            check(changed == next.effects().contains(new Effect.WriteStatus()),
                    () -> where + ": WriteStatus exactly when the snapshot changed (changed: " + changed + ")");
            s = next.state();
        }
    }

    @org.junit.jupiter.api.Test
    void theSequencesExerciseEveryEffectAndStatus() {
        java.util.TreeSet<String> seen = new java.util.TreeSet<>();
        seeds().forEach(seed -> {
            Reducer reducer = new Reducer(RandomEvents.PARSER);
            State s = State.initial();
            for (LoggedEvent le : RandomEvents.generate(seed, 1000)) {
                Next next = reducer.apply(s, le.event());
                next.effects().forEach(e -> seen.add(e.getClass().getSimpleName()));
                next.state().trackers().values().forEach(t -> seen.add(t.status().name()));
                s = next.state();
            }
        });
        assertThat(seen).contains("StartTracker", "StopTracker", "RetimeTracker", "RunHook", "FlushConntrack",
                "WriteStatus", "LogLine", "ONLINE", "OFFLINE", "CONNECTING", "DISCONNECTING", "DISABLED");
    }

    static void checkState(State s, String where) {
        Config c = s.config();
        if (c == null) {
            check(s.trackers().isEmpty(), () -> where + ": trackers without a config");
            return;
        }
        List<State.TrackerKey> expected = new ArrayList<>();
        for (Interface i : c.interfaces()) {
            if (i.enabled()) {
                Trackers.families(i).forEach(f -> expected.add(new State.TrackerKey(i.name(), f)));
            }
        }
        check(new ArrayList<>(s.trackers().keySet()).equals(expected.stream().sorted().toList()),
                () -> where + ": one tracker per enabled interface and family, got " + s.trackers().keySet());
        s.trackers().forEach((key, t) -> {
            Interface i = c.iface(key.iface()).orElseThrow();
            int down = Math.max(1, i.tracking().down());
            int up = Math.max(1, i.tracking().up());
            java.util.function.Supplier<String> at = () -> where + " " + key + " " + t;
            boolean scoreOk = switch (t.status()) {
                case ONLINE -> t.score() == down + up;
                case OFFLINE, DISABLED -> t.score() == 0;
                case CONNECTING -> t.score() >= 1 && t.score() <= up - 1;
                case DISCONNECTING -> t.score() >= up + 1 && t.score() <= down + up - 1;
                case UNKNOWN -> false;
            };
            check(scoreOk && t.score() >= 0 && t.score() <= down + up, () -> at.get() + ": score does not fit the status");
            if (t.tracking() == TrackingState.ACTIVE) {
                check(s.linkUp(key.iface()), () -> at.get() + ": probing needs the link up");
                check(!s.operatorDown().contains(key.iface()), () -> at.get() + ": probing after mwan4 ifdown");
                check(t.interval().isPositive(), () -> at.get() + ": probing without an interval");
            }
            if (s.operatorDown().contains(key.iface())) {
                check(t.tracking() == TrackingState.DOWN || t.status() == TrackerStatus.DISABLED,
                        () -> at.get() + ": operator down must stay down (or disabled while the link is down)");
            }
            check(t.targets().stream().map(Tracker.Target::address).toList().equals(i.tracking().targets(key.family())),
                    () -> at.get() + ": targets are this family's track_ip");
            check((t.onlineSince() == null) == !t.usable(), () -> at.get() + ": onlineSince only while usable");
            check((t.offlineSince() == null) == t.usable(), () -> at.get() + ": offlineSince only while not usable");
            check(t.onlineSince() == null || !t.onlineSince().isAfter(s.now()), () -> at.get() + ": no time from the future");
        });
    }

    static void checkEffects(Next next, String where) {
        List<Effect> fx = next.effects();
        long writes = fx.stream().filter(e -> e instanceof Effect.WriteStatus).count();
        check(writes <= 1 && (writes == 0 || fx.getLast() instanceof Effect.WriteStatus),
                () -> where + ": at most one WriteStatus, last: " + fx);
        for (Effect e : fx) {
            boolean ok = switch (e) {
                case Effect.StartTracker st -> st.mark() == next.state().config().marks().defaultMark()
                        && st.device() != null && !st.tracking().targets().isEmpty()
                        && st.tracking().targets().stream().allMatch(a -> a.family() == st.family())
                        && next.state().tracker(st.iface(), st.family()).orElseThrow().tracking() == TrackingState.ACTIVE;
                case Effect.RetimeTracker rt -> next.state().tracker(rt.iface(), rt.family()).orElseThrow().interval()
                        .equals(rt.interval());
                case Effect.RunHook h -> h.device() != null;
                case Effect.FlushConntrack f -> f.mark() != 0 && (f.mark() & ~f.mask()) == 0;
                case Effect.StopTracker st -> st.iface() != null;
                case Effect.WriteStatus w -> true;
                case Effect.LogLine l -> !l.message().isBlank();
            };
            check(ok, () -> where + ": bad effect " + e);
        }
    }

    static void check(boolean ok, java.util.function.Supplier<String> message) {
        if (!ok) {
            throw new AssertionError(message.get());
        }
    }
}
