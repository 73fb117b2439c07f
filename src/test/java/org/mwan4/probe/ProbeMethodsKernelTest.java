package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.probe.ProbeLab.DEAD;
import static org.mwan4.probe.ProbeLab.DEAD_V6;
import static org.mwan4.probe.ProbeLab.ISP1;
import static org.mwan4.probe.ProbeLab.LIVE;
import static org.mwan4.probe.ProbeLab.LIVE_NO_SERVICE;
import static org.mwan4.probe.ProbeLab.LIVE_V6;
import static org.mwan4.probe.ProbeLab.ON_LINK_NOBODY;
import static org.mwan4.probe.ProbeLab.WAN1;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;

/**
 * Every track method against the lab: a live target answers (UP, with a latency), a dead one (blackholed in
 * the ISP, or an on-link address nobody owns for ARP) does not (DOWN). All rows run as concurrent trackers
 * of one engine inside the router namespace, each through wan1 with the default mark.
 */
@Tag("kernel")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProbeMethodsKernelTest {
    private static final int MARK = 0x3F00;
    private static ProbeLab lab;
    private static TargetServices services;
    private static ProbeEngine engine;
    private static final Map<String, ProbeRoundFinished> ROUNDS = new TreeMap<>();

    record Row(String name, TrackMethod method, Family family, IpAddress source, IpAddress live, IpAddress dead, boolean ssl) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("ping-v4", TrackMethod.PING, Family.IPV4, null, LIVE, DEAD, false),
                new Row("ping-v4-src", TrackMethod.PING, Family.IPV4, WAN1, LIVE, DEAD, false),
                new Row("ping-v6", TrackMethod.PING, Family.IPV6, null, LIVE_V6, DEAD_V6, false),
                new Row("nping-icmp", TrackMethod.NPING_ICMP, Family.IPV4, null, LIVE, DEAD, false),
                new Row("arping", TrackMethod.ARPING, Family.IPV4, null, ISP1, ON_LINK_NOBODY, false),
                new Row("nping-arp", TrackMethod.NPING_ARP, Family.IPV4, WAN1, ISP1, ON_LINK_NOBODY, false),
                new Row("httping", TrackMethod.HTTPING, Family.IPV4, WAN1, LIVE, DEAD, false),
                new Row("httping-ssl", TrackMethod.HTTPING, Family.IPV4, null, LIVE, DEAD, true),
                new Row("httping-v6", TrackMethod.HTTPING, Family.IPV6, null, LIVE_V6, DEAD_V6, false),
                new Row("nping-tcp-synack", TrackMethod.NPING_TCP, Family.IPV4, null, LIVE, DEAD, false),
                new Row("nping-tcp-rst", TrackMethod.NPING_TCP, Family.IPV4, null, LIVE_NO_SERVICE, DEAD, false),
                new Row("nping-udp", TrackMethod.NPING_UDP, Family.IPV4, null, LIVE, DEAD, false),
                new Row("nslookup", TrackMethod.NSLOOKUP, Family.IPV4, null, LIVE, DEAD, false),
                new Row("nslookup-v6", TrackMethod.NSLOOKUP, Family.IPV6, null, LIVE_V6, DEAD_V6, false));
    }

    @BeforeAll
    static void startAllTrackers() throws Exception {
        lab = ProbeLab.create();
        services = TargetServices.start(lab.target, List.of(LIVE, LIVE_V6));
        RoundCollector rounds = new RoundCollector();
        engine = ProbeEngine.start(lab.router.name(), Clock.systemUTC(), rounds);
        List<Row> all = rows().toList();
        for (Row r : all) {
            var tracking = TestTracking.of(r.method(), r.live(), r.dead()).ssl(r.ssl()).reliability(2)
                    .timeout(Duration.ofSeconds(3)).interval(Duration.ofSeconds(10)).build();
            engine.apply(new Effect.StartTracker(r.name(), r.family(), "wan1", r.source(), MARK, tracking,
                    Duration.ofMillis(100), tracking.interval()));
        }
        ROUNDS.putAll(rounds.firstOfEach(all.stream().map(Row::name).toList(), Duration.ofSeconds(10)));
    }

    @Test
    @Order(2)
    void stoppedTrackersLeaveNoSocketOpen() {
        String pid = "pid=" + ProcessHandle.current().pid() + ",";
        assertThat(lab.router.exec("ss", "-H", "-a", "-n", "-p", "-t", "-u", "-w", "-0")).as("sockets while probing").contains(pid);
        rows().forEach(r -> engine.apply(new Effect.StopTracker(r.name(), r.family())));
        assertThat(engine.running()).isEmpty();
        assertThat(lab.router.exec("ss", "-H", "-a", "-n", "-p", "-t", "-u", "-w", "-0")).as("sockets after stop").doesNotContain(pid);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (services != null) {
            services.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @Order(1)
    void liveTargetAnswersDeadOneDoesNot(Row row) {
        ProbeRoundFinished round = ROUNDS.get(row.name());
        assertThat(round).as("a round of " + row.name()).isNotNull();
        assertThat(round.family()).isEqualTo(row.family());
        TargetResult live = round.results().get(0);
        TargetResult dead = round.results().get(1);
        assertThat(live.target()).isEqualTo(row.live());
        assertThat(live.status()).as(row.name() + " live " + live).isEqualTo(TargetStatus.UP);
        assertThat(live.latencyMs()).isNotNull().isBetween(0.0, 3000.0);
        assertThat(live.lossPercent()).isZero();
        assertThat(dead.target()).isEqualTo(row.dead());
        assertThat(dead.status()).as(row.name() + " dead " + dead).isEqualTo(TargetStatus.DOWN);
        assertThat(dead.latencyMs()).isNull();
        assertThat(dead.lossPercent()).isEqualTo(100);
    }
}
