package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.probe.ProbeLab.DEAD;
import static org.mwan4.probe.ProbeLab.LIVE;
import static org.mwan4.probe.ProbeLab.SLOW;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;

/**
 * What the engine measures on real sockets: latency added by a delayed userspace responder, loss added by
 * an nft rule that drops exactly 3 of every 10 echo requests, and concurrent trackers on one device that
 * probe one target at the same instants, where only a size-based drop tells them apart.
 */
@Tag("kernel")
class ProbeAccuracyKernelTest {
    private static final int MARK = 0x3F00;
    private static final Duration RESPONDER_DELAY = Duration.ofMillis(150);
    private static ProbeLab lab;
    private static DelayedEchoResponder responder;
    private static ProbeEngine engine;
    private static RoundCollector rounds;

    @BeforeAll
    static void lab() {
        lab = ProbeLab.create();
        responder = DelayedEchoResponder.start(lab.slow.name(), SLOW, RESPONDER_DELAY);
        // exactly 3 of every 10 echo requests from wan1 to 203.0.113.11 are dropped; big requests to .10 are dropped
        lab.isp1.nft("""
                table inet lab {
                  chain forward_drops {
                    type filter hook forward priority 0;
                    ip saddr 192.0.2.1 ip daddr 203.0.113.11 icmp type echo-request numgen inc mod 10 < 3 drop
                    ip daddr 203.0.113.10 icmp type echo-request ip length > 600 drop
                  }
                }
                """);
        rounds = new RoundCollector();
        engine = ProbeEngine.start(lab.router.name(), Clock.systemUTC(), rounds);
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (responder != null) {
            responder.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static void start(String name, Tracking t) {
        engine.apply(new Effect.StartTracker(name, Family.IPV4, "wan1", null, MARK, t, Duration.ZERO, t.interval()));
    }

    private static void stop(String name) {
        engine.apply(new Effect.StopTracker(name, Family.IPV4));
    }

    @Test
    void latencyOfADelayedResponderIsMeasuredWithinTolerance() {
        start("lat", TestTracking.of(TrackMethod.PING, SLOW, LIVE).count(3).reliability(2)
                .timeout(Duration.ofSeconds(1)).interval(Duration.ofSeconds(2)).build());
        List<ProbeRoundFinished> got = rounds.next("lat", 2, Duration.ofSeconds(6));
        stop("lat");
        TargetResult slow = got.getLast().results().get(0);
        TargetResult fast = got.getLast().results().get(1);
        assertThat(slow.status()).isEqualTo(TargetStatus.UP);
        assertThat(slow.lossPercent()).isZero();
        assertThat(slow.latencyMs()).as("150 ms responder (its timer may fire late on a busy host)").isBetween(150.0, 220.0);
        assertThat(fast.latencyMs()).as("kernel responder over veths").isLessThan(20.0);
    }

    @Test
    void qualityCheckTurnsTheSlowTargetDownAndKeepsTheFastOneUp() {
        start("qual", TestTracking.of(TrackMethod.PING, SLOW, LIVE).count(2).reliability(2)
                .quality(new Tracking.Quality(true, 100, 50, 40, 10)).timeout(Duration.ofSeconds(1)).interval(Duration.ofSeconds(2)).build());
        ProbeRoundFinished r = rounds.next("qual", Duration.ofSeconds(4));
        stop("qual");
        assertThat(r.results()).extracting(TargetResult::status).containsExactly(TargetStatus.DOWN, TargetStatus.UP);
    }

    @Test
    void lossIsCountedExactly() {
        start("loss", TestTracking.of(TrackMethod.PING, ProbeLab.LIVE_NO_SERVICE).count(10)
                .timeout(Duration.ofMillis(500)).interval(Duration.ofMillis(1500)).build());
        List<ProbeRoundFinished> got = rounds.next("loss", 2, Duration.ofSeconds(5));
        stop("loss");
        assertThat(got).allSatisfy(r -> {
            assertThat(r.results().getFirst().lossPercent()).isEqualTo(30);
            assertThat(r.results().getFirst().status()).isEqualTo(TargetStatus.UP);
        });
    }

    @Test
    void concurrentTrackersOnOneDeviceNeverTakeEachOthersReplies() {
        // six trackers probe the same targets at the same instants with the same sequence numbers; the ISP drops
        // big requests, so only the small-packet trackers may ever see an answer from 203.0.113.10
        List<String> names = List.of("c0", "c1", "c2", "c3", "c4", "c5");
        for (int i = 0; i < names.size(); i++) {
            start(names.get(i), TestTracking.of(TrackMethod.PING, LIVE, DEAD).size(i % 2 == 0 ? 56 : 1000).count(3).reliability(2)
                    .timeout(Duration.ofMillis(600)).interval(Duration.ofSeconds(1)).build());
        }
        Map<String, ProbeRoundFinished> first = rounds.firstOfEach(names, Duration.ofSeconds(5));
        List<ProbeRoundFinished> more = rounds.next("c1", 2, Duration.ofSeconds(5));
        names.forEach(ProbeAccuracyKernelTest::stop);
        assertThat(first).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            TargetResult live = first.get(names.get(i)).results().get(0);
            TargetResult dead = first.get(names.get(i)).results().get(1);
            boolean small = i % 2 == 0;
            assertThat(live.status()).as(names.get(i) + " " + live).isEqualTo(small ? TargetStatus.UP : TargetStatus.DOWN);
            assertThat(live.lossPercent()).as(names.get(i)).isEqualTo(small ? 0 : 100);
            assertThat(dead.status()).isEqualTo(TargetStatus.DOWN);
        }
        assertThat(more).allSatisfy(r -> assertThat(r.results().getFirst().status()).isEqualTo(TargetStatus.DOWN));
    }
}
