package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;

class ReplayTest {

    static final TestConfigs.Parser PARSER = new TestConfigs.Parser()
            .with("two-wans", config(iface("wan").device("eth0").track("198.51.100.1").down(2).up(2),
                    iface("wanb").device("eth1").track("203.0.113.1")).build());

    static List<LoggedEvent> log() {
        List<Event> events = List.of(
                new Event.ConfigLoaded(Lab.t(0), "/etc/config/mwan4", "two-wans", null, null),
                new Event.AddressAdded(Lab.t(1), 2, Cidr.parse("192.0.2.10/24").orElseThrow()),
                new Event.LinkChanged(Lab.t(2), 2, "eth0", true, true, "UP"),
                new Event.LinkChanged(Lab.t(3), 3, "eth1", true, true, "UP"),
                down(4), down(5), down(6),
                new Event.OperatorCommanded(Lab.t(7), Event.Command.IFDOWN, "wanb"),
                new Event.ShutdownRequested(Lab.t(8), false));
        List<LoggedEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(new LoggedEvent(i + 1, events.get(i)));
        }
        return out;
    }

    static Event down(int at) {
        return new Event.ProbeRoundFinished(Lab.t(at), "wan", Family.IPV4, List.of(new Event.TargetResult(
                TestConfigs.ip("198.51.100.1"), Event.TargetStatus.DOWN, null, 100, null)));
    }

    @Test
    void everyStepIsTheReducersStep() {
        Reducer reducer = new Reducer(PARSER);
        List<Replay.Step> steps = Replay.run(reducer, State.initial(), log());
        assertThat(steps).extracting(Replay.Step::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        State s = State.initial();
        for (Replay.Step step : steps) {
            Next next = reducer.apply(s, step.event());
            assertThat(step.state()).isEqualTo(next.state());
            assertThat(step.effects()).isEqualTo(next.effects());
            s = next.state();
        }
        assertThat(steps.get(5).state().tracker("wan", Family.IPV4).orElseThrow().status()).isEqualTo(TrackerStatus.OFFLINE);
    }

    @Test
    void untilStopsAfterThatSequenceNumber() {
        List<Replay.Step> steps = Replay.run(new Reducer(PARSER), State.initial(), log(), 5);
        assertThat(steps).hasSize(5);
        assertThat(Replay.last(State.initial(), steps).tracker("wan", Family.IPV4).orElseThrow().status())
                .isEqualTo(TrackerStatus.DISCONNECTING);
        assertThat(Replay.last(State.initial(), List.of())).isEqualTo(State.initial());
    }

    @Test
    void aMalformedEventIsRefusedWithoutTouchingTheState() {
        State s = Replay.last(State.initial(), Replay.run(new Reducer(PARSER), State.initial(), log(), 6));
        Next next = new Reducer(PARSER).apply(s, new Event.ProbeRoundFinished(Lab.t(50), null, Family.IPV4, List.of()));
        assertThat(next.state()).isEqualTo(s);
        assertThat(next.effects()).containsExactly(new Effect.LogLine(Effect.Level.ERROR,
                "ignoring a malformed ProbeRoundFinished event: field 'iface' is missing; this is a bug of the edge that sent it"));
        RouteFact mixed = new RouteFact(254, Family.IPV6, Cidr.parse("0.0.0.0/0").orElseThrow(), null, 2, 0, "unicast", 4, 0, null, null);
        assertThat(EffectText.logs(new Reducer(PARSER).apply(s, new Event.RouteAdded(Lab.t(51), mixed)).effects()))
                .containsExactly("log ERROR ignoring a malformed RouteAdded event: route destination 0.0.0.0/0 is not ipv6;"
                        + " this is a bug of the edge that sent it");
        assertThat(new Reducer(PARSER).apply(s, new Event.Ticked(null)).state()).isEqualTo(s);
    }

    @Test
    void twoReplaysAreEqual() {
        assertThat(Replay.run(new Reducer(PARSER), State.initial(), log()))
                .isEqualTo(Replay.run(new Reducer(PARSER), State.initial(), log()));
    }
}
