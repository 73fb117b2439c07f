package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.HookAction;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.State.TrackerKey;
import org.mwan4.probe.method.ProbePath;

/** The effect side of the engine on virtual time: start, restart, retime, stop. */
class TrackersTest {
    private static final IpAddress A = IpAddress.parse("203.0.113.1").orElseThrow();
    private static final IpAddress V6 = IpAddress.parse("2001:db8::1").orElseThrow();

    private final ManualScheduler clock = new ManualScheduler();
    private final List<ProbeRoundFinished> rounds = new ArrayList<>();
    private final List<ProbePath> opened = new ArrayList<>();
    private final List<ScriptedProber> probers = new ArrayList<>();
    private final Trackers trackers = new Trackers(clock, (path, tracking) -> {
        opened.add(path);
        ScriptedProber p = new ScriptedProber(clock, (t, at) -> 5_000_000L);
        probers.add(p);
        return p;
    }, rounds::add);

    private static Effect.StartTracker start(String iface, Tracking t) {
        return new Effect.StartTracker(iface, Family.IPV4, "eth1", A, 0x3F00, t, Duration.ofSeconds(1), t.interval());
    }

    @Test
    void startProbesAfterTheFirstDelayThroughThePathOfTheEffect() {
        Tracking t = TestTracking.of(TrackMethod.PING, A, V6).interval(Duration.ofSeconds(5)).build();
        assertThat(trackers.apply(start("wan", t))).isTrue();
        assertThat(opened).containsExactly(new ProbePath("wan", Family.IPV4, "eth1", A, 0x3F00));
        clock.advance(Duration.ofMillis(999));
        assertThat(rounds).isEmpty();
        clock.advance(Duration.ofSeconds(11));
        assertThat(rounds).hasSize(3);
        assertThat(rounds.getFirst().results()).extracting(r -> r.target()).as("only this family's targets").containsExactly(A);
        assertThat(trackers.running()).containsExactly(new TrackerKey("wan", Family.IPV4));
    }

    @Test
    void startingAgainReplacesTheTrackerAndClosesTheOldProber() {
        Tracking t = TestTracking.of(TrackMethod.PING, A).interval(Duration.ofSeconds(1)).build();
        trackers.apply(start("wan", t));
        clock.advance(Duration.ofMillis(1500));
        trackers.apply(start("wan", t));
        assertThat(probers.getFirst().closed).isTrue();
        assertThat(trackers.running()).hasSize(1);
    }

    @Test
    void stopEndsProbingAndRetimeOfAStoppedTrackerIsHarmless() {
        Tracking t = TestTracking.of(TrackMethod.PING, A).interval(Duration.ofSeconds(1)).build();
        trackers.apply(start("wan", t));
        clock.advance(Duration.ofMillis(2500));
        int seen = rounds.size();
        assertThat(trackers.apply(new Effect.StopTracker("wan", Family.IPV4))).isTrue();
        assertThat(trackers.apply(new Effect.RetimeTracker("wan", Family.IPV4, Duration.ofMillis(100)))).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(rounds).hasSize(seen);
        assertThat(trackers.running()).isEmpty();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void continuousModeReportsJitter() {
        Tracking t = TestTracking.of(TrackMethod.PING, A).interval(Duration.ofMillis(200)).continuous(10, Duration.ZERO).build();
        trackers.apply(start("lte", t));
        clock.advance(Duration.ofSeconds(3));
        assertThat(rounds).hasSizeGreaterThan(5);
        assertThat(rounds.getLast().results().getFirst().jitterMs()).isEqualTo(0.0);
    }

    @Test
    void trackersWithoutTargetsOfTheirFamilyAndOtherEffectsAreNotStarted() {
        Tracking onlyV6 = TestTracking.of(TrackMethod.PING, V6).build();
        assertThat(trackers.apply(start("wan", onlyV6))).isTrue();
        assertThat(trackers.running()).isEmpty();
        assertThat(opened).isEmpty();
        assertThat(trackers.apply(new Effect.StartTracker("wan", Family.IPV4, null, A, 0x3F00, TestTracking.of(TrackMethod.PING, A).build(),
                Duration.ZERO, Duration.ofSeconds(1)))).as("no device, no probes").isTrue();
        assertThat(trackers.running()).isEmpty();
        assertThat(trackers.apply(new Effect.RunHook(HookAction.IFUP, "wan", Family.IPV4, "eth1", false, false))).isFalse();
        assertThat(trackers.apply(new Effect.WriteStatus())).isFalse();
    }

    @Test
    void stopAllStopsEverything() {
        Tracking t = TestTracking.of(TrackMethod.PING, A).build();
        trackers.apply(start("a", t));
        trackers.apply(start("b", t));
        trackers.stopAll();
        assertThat(trackers.running()).isEmpty();
        assertThat(probers).allMatch(p -> p.closed);
    }
}
