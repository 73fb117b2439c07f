package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.probe.ProbeLab.LIVE;
import static org.mwan4.probe.ProbeLab.LIVE_V6;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.TrackMethod;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetStatus;

/**
 * Probes of wan1 leave through wan1 and carry the default mark, although wan2 holds the preferred default
 * route, and they never leave through wan2 even when wan1 has no route at all. Counted with nft counters
 * in both ISPs and on the router's output hook.
 */
@Tag("kernel")
class ProbePathKernelTest {
    private static final int MARK = 0x3F00;

    @Test
    void wan1ProbesNeverLeaveThroughWan2() {
        try (ProbeLab lab = ProbeLab.create()) {
            for (var isp : List.of(lab.isp1, lab.isp2)) {
                isp.nft("""
                        table inet lab {
                          counter echo4 {}
                          counter echo6 {}
                          chain pre {
                            type filter hook prerouting priority -300;
                            ip daddr 203.0.113.10 icmp type echo-request counter name "echo4"
                            ip6 daddr 2001:db8:ff::10 icmpv6 type echo-request counter name "echo6"
                          }
                        }
                        """);
            }
            lab.router.nft("""
                    table inet lab {
                      counter probes {}
                      counter marked {}
                      chain out {
                        type filter hook output priority 0;
                        icmp type echo-request counter name "probes"
                        icmp type echo-request meta mark 0x3f00 oifname "wan1" counter name "marked"
                      }
                    }
                    """);
            RoundCollector rounds = new RoundCollector();
            try (ProbeEngine engine = ProbeEngine.start(lab.router.name(), Clock.systemUTC(), rounds)) {
                var t4 = TestTracking.of(TrackMethod.PING, LIVE).interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(600)).build();
                var t6 = TestTracking.of(TrackMethod.PING, LIVE_V6).interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(600)).build();
                engine.apply(new Effect.StartTracker("wan1", Family.IPV4, "wan1", null, MARK, t4, Duration.ZERO, t4.interval()));
                engine.apply(new Effect.StartTracker("wan1v6", Family.IPV6, "wan1", null, MARK, t6, Duration.ZERO, t6.interval()));
                List<ProbeRoundFinished> v4 = rounds.next("wan1", 5, Duration.ofSeconds(5));
                rounds.next("wan1v6", 3, Duration.ofSeconds(5));
                assertThat(v4).allSatisfy(r -> assertThat(r.results().getFirst().status()).isEqualTo(TargetStatus.UP));

                // wan1 loses its own default: its probes must fail rather than take wan2's default
                lab.router.exec("ip", "route", "del", "default", "via", "192.0.2.2", "dev", "wan1");
                lab.router.exec("ip", "-6", "route", "del", "default", "via", "2001:db8:1::2", "dev", "wan1");
                rounds.clear();
                List<ProbeRoundFinished> without = rounds.next("wan1", 3, Duration.ofSeconds(5));
                assertThat(without).allSatisfy(r -> assertThat(r.results().getFirst().status()).isEqualTo(TargetStatus.DOWN));
                engine.apply(new Effect.StopTracker("wan1", Family.IPV4));
                engine.apply(new Effect.StopTracker("wan1v6", Family.IPV6));
                engine.running();
            }
            assertThat(ProbeLab.counter(lab.isp1, "echo4")).as("echo requests at isp1").isGreaterThanOrEqualTo(5);
            assertThat(ProbeLab.counter(lab.isp1, "echo6")).as("echo requests at isp1 (v6)").isGreaterThanOrEqualTo(3);
            assertThat(ProbeLab.counter(lab.isp2, "echo4")).as("echo requests to the target at isp2").isZero();
            assertThat(ProbeLab.counter(lab.isp2, "echo6")).as("echo requests from wan1 at isp2 (v6)").isZero();
            long all = ProbeLab.counter(lab.router, "probes");
            assertThat(all).isGreaterThanOrEqualTo(8);
            assertThat(ProbeLab.counter(lab.router, "marked")).as("every probe carries the mark and leaves by wan1").isEqualTo(all);
        }
    }
}
