package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.TestConfigs.iface;
import static org.mwan4.core.TrackerStatus.CONNECTING;
import static org.mwan4.core.TrackerStatus.DISCONNECTING;
import static org.mwan4.core.TrackerStatus.OFFLINE;
import static org.mwan4.core.TrackerStatus.ONLINE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;

/**
 * The mwan3track score loop, one named row per transition: given a tracker (status, score) on a running
 * interface, when these rounds finish (one letter per target: U up, D down, S skipped), then this status,
 * score and these effects (all rounds, log lines left out: {@link TrackerLogTest} checks those).
 * Unless a row says otherwise: down 3, up 2 (online score 5), interval 10 s, failure 5 s, recovery 3 s,
 * two targets, reliability 1.
 */
class TrackerRoundsTest {

    record Row(String name, UnaryOperator<TestConfigs.IfaceBuilder> config, TrackerStatus givenStatus, int givenScore,
               Integer givenIntervalSeconds, List<String> rounds, TrackerStatus status, int score, List<String> effects) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, TrackerStatus given, int givenScore, String rounds, TrackerStatus status, int score, String... effects) {
        return new Row(name, UnaryOperator.identity(), given, givenScore, null, List.of(rounds.split(" ")), status, score, List.of(effects));
    }

    static Row row(String name, UnaryOperator<TestConfigs.IfaceBuilder> config, TrackerStatus given, int givenScore,
                   Integer givenInterval, String rounds, TrackerStatus status, int score, String... effects) {
        return new Row(name, config, given, givenScore, givenInterval, List.of(rounds.split(" ")), status, score, List.of(effects));
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("online: a good round keeps it online", ONLINE, 5, "UU", ONLINE, 5, "status"),
                row("online: one good target is enough with reliability 1", ONLINE, 5, "DU", ONLINE, 5, "status"),
                row("online: a failed round -> disconnecting, failure_interval", ONLINE, 5, "DD", DISCONNECTING, 4,
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status"),
                row("online -> disconnecting -> offline after down=3 failed rounds", ONLINE, 5, "DD DD DD", OFFLINE, 0,
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status",
                        "status",
                        "hook disconnected wan ipv4 eth0", "status"),
                row("offline: the next failed round goes back to interval", c -> c, OFFLINE, 0, 5, "DD", OFFLINE, 0,
                        "retime wan ipv4 10s", "status"),
                row("offline with keep_failure_interval stays at failure_interval", c -> c.keepFailureInterval(),
                        OFFLINE, 0, 5, "DD", OFFLINE, 0, "status"),
                row("offline at interval with keep_failure_interval: a failed round switches to failure_interval",
                        c -> c.keepFailureInterval(), OFFLINE, 0, 10, "DD", OFFLINE, 0, "retime wan ipv4 5s", "status"),
                row("offline -> connecting -> online after up=2 good rounds", OFFLINE, 0, "UU UU", ONLINE, 5,
                        "hook connecting wan ipv4 eth0", "retime wan ipv4 3s", "status",
                        "hook connected wan ipv4 eth0", "retime wan ipv4 10s", "status"),
                row("a failure during connecting starts over, offline again", c -> c.up(3), OFFLINE, 0, null,
                        "UU UU DD UU", CONNECTING, 1,
                        "hook connecting wan ipv4 eth0", "retime wan ipv4 3s", "status",
                        "status",
                        "retime wan ipv4 10s", "status",
                        "hook connecting wan ipv4 eth0", "retime wan ipv4 3s", "status"),
                row("recovery during disconnecting: online again, score back to down+up", ONLINE, 5, "DD DD UU", ONLINE, 5,
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status",
                        "status",
                        "retime wan ipv4 10s", "status"),
                row("after recovering from disconnecting, the next failure runs the disconnecting hook again",
                        ONLINE, 5, "DD UU DD", DISCONNECTING, 4,
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status",
                        "retime wan ipv4 10s", "status",
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status"),
                row("reliability 2 of 3: one target up is a failed round",
                        c -> c.track("198.51.100.1", "198.51.100.2", "198.51.100.3").reliability(2),
                        ONLINE, 5, null, "UDD", DISCONNECTING, 4, "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status"),
                row("reliability 2 of 3: two up and the third skipped is a good round",
                        c -> c.track("198.51.100.1", "198.51.100.2", "198.51.100.3").reliability(2),
                        ONLINE, 5, null, "UUS", ONLINE, 5, "status"),
                row("reliability 2 of 3: going online needs two up in each round",
                        c -> c.track("198.51.100.1", "198.51.100.2", "198.51.100.3").reliability(2),
                        OFFLINE, 0, null, "UDD UUD UUS", ONLINE, 5,
                        "status",
                        "hook connecting wan ipv4 eth0", "retime wan ipv4 3s", "status",
                        "hook connected wan ipv4 eth0", "retime wan ipv4 10s", "status"),
                row("reliability above the target count is capped at it (2 targets, reliability 3)",
                        c -> c.reliability(3), ONLINE, 5, null, "UU", ONLINE, 5, "status"),
                row("up=1: offline -> online in one round runs connecting, then connected", c -> c.up(1),
                        OFFLINE, 0, null, "UU", ONLINE, 4, "hook connecting wan ipv4 eth0", "hook connected wan ipv4 eth0", "status"),
                row("down=1: online -> offline in one round runs disconnecting, then disconnected", c -> c.down(1),
                        ONLINE, 3, null, "DD", OFFLINE, 0,
                        "hook disconnecting wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "retime wan ipv4 5s", "status"),
                row("all targets skipped counts as a failed round", ONLINE, 5, "SS", DISCONNECTING, 4,
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status"),
                row("flush_conntrack disconnected: flushed after the hook, only this interface's mark",
                        c -> c.down(1).flush(org.mwan4.config.HookAction.DISCONNECTED), ONLINE, 3, null, "DD", OFFLINE, 0,
                        "hook disconnecting wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "flush wan ipv4 0x100/0x3f00",
                        "retime wan ipv4 5s", "status"),
                row("flush_conntrack connected and connecting",
                        c -> c.up(1).flush(org.mwan4.config.HookAction.CONNECTED, org.mwan4.config.HookAction.CONNECTING),
                        OFFLINE, 0, null, "UU", ONLINE, 4,
                        "hook connecting wan ipv4 eth0", "flush wan ipv4 0x100/0x3f00",
                        "hook connected wan ipv4 eth0", "flush wan ipv4 0x100/0x3f00", "status"),
                row("check_quality: latency between the thresholds is neither up nor down, so the round fails",
                        c -> c.quality(1000, 500, 40, 10), ONLINE, 5, null, "QQ", DISCONNECTING, 4,
                        "hook disconnecting wan ipv4 eth0", "retime wan ipv4 5s", "status"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void round(Row row) {
        Lab lab = started(row.config());
        Tracker t = lab.tracker("wan");
        Duration interval = Duration.ofSeconds(row.givenIntervalSeconds() != null ? row.givenIntervalSeconds()
                : switch (row.givenStatus()) {
                    case DISCONNECTING -> 5;
                    case CONNECTING -> 3;
                    default -> 10;
                });
        lab.given("wan", Family.IPV4, new Tracker(row.givenStatus(), TrackingState.ACTIVE, row.givenScore(), 0, 0,
                null, null, t.targets(), interval, t.device(), t.source(), true));
        List<String> effects = new ArrayList<>();
        for (String r : row.rounds()) {
            if (r.startsWith("Q")) {
                qualityRound(lab, 700.0, 0);
            } else {
                lab.round("wan", r);
            }
            effects.addAll(lab.actions());
        }
        assertThat(lab.tracker("wan").status()).as("status").isEqualTo(row.status());
        assertThat(lab.tracker("wan").score()).as("score").isEqualTo(row.score());
        assertThat(effects).as("effects").containsExactlyElementsOf(row.effects());
    }

    /** A running interface wan on eth0 (ifindex 2) with 192.0.2.10/24, tracking two targets. */
    static Lab started(UnaryOperator<TestConfigs.IfaceBuilder> config) {
        TestConfigs.IfaceBuilder wan = config.apply(iface("wan").device("eth0")
                .track("198.51.100.1", "198.51.100.2").down(3).up(2).interval(10).failureInterval(5).recoveryInterval(3));
        Lab lab = new Lab().load(TestConfigs.config(wan)).addr(2, "192.0.2.10/24").link(2, "eth0", true);
        assertThat(lab.tracker("wan").tracking()).isEqualTo(TrackingState.ACTIVE);
        return lab;
    }

    static void qualityRound(Lab lab, double latencyMs, int loss) {
        List<Event.TargetResult> results = lab.tracker("wan").targets().stream()
                .map(x -> new Event.TargetResult(x.address(), Event.TargetStatus.UP, latencyMs, loss, 3.5)).toList();
        lab.apply(new Event.ProbeRoundFinished(lab.now(), "wan", Family.IPV4, results));
    }

    @Test
    void lostCountsFailedTargetsUntilAGoodRoundAndTurnCountsRounds() {
        Lab lab = started(c -> c);
        lab.rounds("wan", "DU", "DD", "DD");
        assertThat(lab.tracker("wan").lost()).as("a good round (DU) resets, two failed rounds add 2 each").isEqualTo(4);
        assertThat(lab.tracker("wan").turn()).isEqualTo(3);
        lab.round("wan", "UU");
        assertThat(lab.tracker("wan").lost()).isZero();
        assertThat(lab.tracker("wan").turn()).isEqualTo(4);
    }

    @Test
    void perTargetResultsAreKeptWithLatencyLossAndJitter() {
        Lab lab = started(c -> c.quality(1000, 500, 40, 10));
        qualityRound(lab, 123.5, 5);
        assertThat(lab.tracker("wan").targets()).extracting(Tracker.Target::verdict, Tracker.Target::latencyMs,
                        Tracker.Target::lossPercent, Tracker.Target::jitterMs)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Tracker.Verdict.UP, 123.5, 5, 3.5));
    }

    @Test
    void timestampsComeFromEventTimes() {
        Lab lab = started(c -> c.down(1).up(1));
        assertThat(lab.tracker("wan").onlineSince()).isEqualTo(Lab.t(2));
        lab.round("wan", "DD");
        assertThat(lab.tracker("wan").offlineSince()).isEqualTo(Lab.t(3));
        assertThat(lab.tracker("wan").onlineSince()).isNull();
        lab.round("wan", "UU");
        assertThat(lab.tracker("wan").onlineSince()).isEqualTo(Lab.t(4));
        assertThat(lab.tracker("wan").offlineSince()).isNull();
    }
}
