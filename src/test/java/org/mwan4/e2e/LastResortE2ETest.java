package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mwan4.config.Family;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Tally;
import org.mwan4.lab.WithLab;

/**
 * A strategy whose only route is offline (its probes are blackholed; the link still works) falls to its
 * last_resort: unreachable refuses at once, blackhole times out, default uses the main table (wan1 by metric).
 */
@WithLab
@Tag("e2e")
class LastResortE2ETest {
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private Running mwan4;

    @AfterEach
    void stop(Lab lab) {
        if (mwan4 != null) {
            mwan4.close();
        }
        lab.isp(1).clear();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unreachable", "blackhole", "default"})
    void lastResortWhenNoRouteIsOnline(String lastResort, Lab lab) {
        String strategies = Uci.ROUTES + "config strategy 'only1'\n\tlist use_route 'wan1_only'\n\toption last_resort '"
                + lastResort + "'\n\n";
        // the router answers every refused connection (the kernel rate-limits ICMP errors to ~1/s by default)
        lab.router().sysctl(List.of("net.ipv4.icmp_ratelimit=0"));
        mwan4 = Running.start(lab, Uci.wans(lab, List.of(), strategies + Uci.everything("only1")));
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        assertThat(tally(lab).count("wan1")).isEqualTo(5);

        lab.isp(1).blackhole(lab.internet().targets(Family.IPV4).getFirst());
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.OFFLINE);
        long t0 = System.nanoTime();
        Tally t = tally(lab);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        switch (lastResort) {
            case "unreachable" -> {
                assertThat(t.failed()).as("%s", t).isEqualTo(5);
                assertThat(t.errors()).as("refused by the router, not timed out").allMatch(e -> e.contains("Network is unreachable"));
                assertThat(took).isLessThan(TIMEOUT.multipliedBy(2));
            }
            case "blackhole" -> {
                assertThat(t.failed()).as("%s", t).isEqualTo(5);
                assertThat(t.errors()).allMatch(e -> e.contains("timed out"));
                assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(5));
            }
            default -> assertThat(t.count("wan1")).as("main table: lowest metric default route %s", t).isEqualTo(5);
        }
    }

    private static Tally tally(Lab lab) {
        return lab.lanClient().tally(lab.internet().server(Family.IPV4), 5, Optional.empty(), TIMEOUT);
    }
}
