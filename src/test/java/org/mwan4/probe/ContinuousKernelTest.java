package org.mwan4.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.probe.ProbeLab.LIVE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.TrackMethod;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;

/**
 * Continuous mode on real sockets, 0.2 s interval, reducer with down 3: a link that goes dead (nft drop in the
 * ISP) is offline in under a second, and 5 % random loss (nft numgen) over a bounded run never takes it down.
 * The day-long statistics and every phase of the link's death relative to the ticks are in ContinuousTrackerTest
 * on virtual time.
 */
@Tag("kernel")
class ContinuousKernelTest {

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void deadLinkIsOfflineInUnderASecondAndFivePercentLossDoesNotFlap() {
        try (ProbeLab lab = ProbeLab.create()) {
            lab.isp1.nft("""
                    table inet lab {
                      chain forward_drops {
                        type filter hook forward priority 0;
                      }
                    }
                    """);
            RoundCollector rounds = new RoundCollector();
            try (ProbeEngine engine = ProbeEngine.start(lab.router.name(), Clock.systemUTC(), rounds)) {
                var t = TestTracking.of(TrackMethod.PING, LIVE).interval(Duration.ofMillis(200)).timeout(Duration.ofSeconds(1))
                        .continuous(20, Duration.ZERO).build();
                engine.apply(new Effect.StartTracker("wan1", Family.IPV4, "wan1", null, 0x3F00, t, Duration.ZERO, t.interval()));

                // phase 1: 5 % random loss for 10 s (50 rounds): never 3 failed rounds in a row
                lab.isp1.exec("nft", "add", "rule", "inet", "lab", "forward_drops", "icmp", "type", "echo-request", "numgen", "random", "mod", "100", "<", "5", "drop");
                List<ProbeRoundFinished> lossy = rounds.next("wan1", 50, Duration.ofSeconds(2));
                assertThat(ReducerCount.offlineEvents(lossy.subList(3, lossy.size()), 1, 3)).as("offline events under 5 %% loss").isZero();
                lab.isp1.exec("nft", "flush", "chain", "inet", "lab", "forward_drops");
                rounds.next("wan1", 15, Duration.ofSeconds(2));

                // phase 2: the link dies, about mid-way between two ticks (rounds arrive just after their tick on this
                // fast link); the worst phase, right after a tick, is covered for every offset on virtual time
                rounds.clear();
                rounds.next("wan1", Duration.ofSeconds(2));
                sleep(Duration.ofMillis(80));
                lab.isp1.exec("nft", "add", "rule", "inet", "lab", "forward_drops", "icmp", "type", "echo-request", "drop");
                Instant dead = Instant.now();
                List<ProbeRoundFinished> after = new ArrayList<>(rounds.next("wan1", 10, Duration.ofSeconds(2)));
                int offline = ReducerCount.offlineAt(after, 1, 3);
                assertThat(offline).as("offline after %s", after).isNotNegative();
                Duration detection = Duration.between(dead, after.get(offline).at());
                System.out.println("continuous mode, 0.2 s interval, down 3: dead link offline after " + detection.toMillis() + " ms");
                assertThat(detection).as("dead link to offline").isLessThan(Duration.ofSeconds(1));
            }
        }
    }
}
