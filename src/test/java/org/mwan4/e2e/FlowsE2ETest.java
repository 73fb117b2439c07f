package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Tally;
import org.mwan4.lab.TcpSession;
import org.mwan4.lab.UdpFlow;
import org.mwan4.lab.WithLab;

/**
 * What happens to flows: connections entering on a WAN are answered through it (the lab's ISPs drop packets
 * from another ISP's addresses); flush_conntrack moves a long-lived UDP flow off a WAN that went down and
 * leaves the other WAN's flows alone; a sticky rule keeps a source on one WAN, moves it when that WAN fails, and
 * leaves it on its new WAN when the old one comes back.
 */
@WithLab(lanHosts = 4)
@Tag("e2e")
class FlowsE2ETest {
    private Running mwan4;

    @AfterEach
    void stop(Lab lab) {
        if (mwan4 != null) {
            mwan4.close();
        }
        lab.isps().forEach(i -> i.clear());
        lab.isps().forEach(i -> i.unblackhole(lab.internet().targets(Family.IPV4).getFirst()));
    }

    private void start(Lab lab, List<String> ifaceLines, String rest) {
        mwan4 = Running.start(lab, Uci.wans(lab, ifaceLines, Uci.ROUTES + rest));
        for (String w : List.of("wan1", "wan2")) {
            mwan4.awaitStatus(w, Family.IPV4, TrackerStatus.ONLINE);
        }
    }

    @Test
    void connectionsEnteringOnAWanAreAnsweredThroughIt(Lab lab) throws IOException {
        IpAddress wan2 = lab.isp(2).link().router4().address();
        lab.serveWhoami(lab.router(), List.of(lab.isp(1).link().router4().address(), wan2));
        // without mwan4 the router answers by its main table (wan1), and ISP 1 drops wan2's source address
        assertThat(lab.internetClient().tally(wan2, 2, Optional.empty(), Duration.ofMillis(500)).failed()).isEqualTo(2);

        start(lab, List.of(), Uci.everything("via_wan1"));
        Tally t = lab.internetClient().tally(wan2, 20, Optional.empty(), Duration.ofSeconds(2));
        assertThat(t.failed()).as("%s", t).isZero();
        try (TcpSession s = lab.internetClient().session(wan2)) {
            assertThat(s.whoami().address()).as("entered through ISP 2").isEqualTo(lab.isp(2).link().upstreamGw4());
        }
    }

    @Test
    void flushConntrackMovesTheFlowsOfTheWanThatWentDown(Lab lab) throws InterruptedException {
        start(lab, List.of("list flush_conntrack 'ifdown'", "list flush_conntrack 'disconnected'"), Uci.everything("balanced"));
        IpAddress server = lab.internet().server(Family.IPV4);
        UdpFlow onWan1 = null;
        UdpFlow onWan2 = null;
        try {
            for (int i = 0; i < 40 && (onWan1 == null || onWan2 == null); i++) {
                UdpFlow f = lab.lanClient().udpFlow(server, Duration.ofMillis(20), Duration.ofSeconds(20));
                String wan = awaitWan(f);
                if (wan.equals("wan1") && onWan1 == null) {
                    onWan1 = f;
                } else if (wan.equals("wan2") && onWan2 == null) {
                    onWan2 = f;
                } else {
                    f.close();
                }
            }
            assertThat(onWan1).isNotNull();
            assertThat(onWan2).isNotNull();

            // wan1 keeps carrying the flow; only its probes die, so only the flush can move the flow
            lab.isp(1).blackhole(lab.internet().targets(Family.IPV4).getFirst());
            mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.OFFLINE);
            Thread.sleep(300);
            assertThat(onWan1.path()).containsExactly("wan1", "wan2");
            assertThat(onWan2.path()).containsExactly("wan2");
            List<UdpFlow.Sample> s2 = onWan2.samples();
            long lost = s2.subList(5, s2.size() - 5).stream().filter(x -> x.wan().isEmpty()).count();
            assertThat(lost).as("wan2's flow kept flowing").isZero();
        } finally {
            if (onWan1 != null) {
                onWan1.close();
            }
            if (onWan2 != null) {
                onWan2.close();
            }
        }
    }

    @Test
    void aStickySourceStaysOnOneWanAndMovesWhenItGoesOffline(Lab lab) {
        IpAddress host = lab.topology().lan().hosts4().get(3).address();
        start(lab, List.of(), """
                config rule 'sticky_host'
                	option src_ip '%s'
                	option sticky '1'
                	option timeout '600'
                	option use_strategy 'balanced'

                """.formatted(host) + Uci.everything("balanced"));
        Tally first = lab.lanClient().tally(lab.internet().server(Family.IPV4), 40, Optional.of(host), Duration.ofSeconds(2));
        assertThat(first.byWan()).as("%s", first).hasSize(1);
        String stuck = first.byWan().firstKey();
        String other = stuck.equals("wan1") ? "wan2" : "wan1";

        lab.isp(stuck.equals("wan1") ? 1 : 2).linkDown();
        mwan4.awaitStatus(stuck, Family.IPV4, TrackerStatus.DISABLED);
        Tally moved = lab.lanClient().tally(lab.internet().server(Family.IPV4), 40, Optional.of(host), Duration.ofSeconds(2));
        assertThat(moved.count(other)).as("%s", moved).isEqualTo(40);

        lab.isp(stuck.equals("wan1") ? 1 : 2).linkUp();
        mwan4.awaitStatus(stuck, Family.IPV4, TrackerStatus.ONLINE);
        // the source's WAN never went away: it stays there (stuck's sticky set was dropped while it was offline)
        Tally after = lab.lanClient().tally(lab.internet().server(Family.IPV4), 40, Optional.of(host), Duration.ofSeconds(2));
        assertThat(after.count(other)).as("stays on %s: %s", other, after).isEqualTo(40);
    }

    private static String awaitWan(UdpFlow f) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<String> w = f.currentWan();
            if (w.isPresent()) {
                return w.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("UDP flow got no answer within 1 s");
    }
}
