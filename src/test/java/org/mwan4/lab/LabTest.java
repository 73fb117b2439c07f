package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * The lab against the real kernel: one lab for the class; each test undoes what it changes in {@code finally}.
 */
@WithLab
class LabTest {

    @Test
    void comesUpAsAHomeRouterWithTwoWans(Lab lab) {
        String all = HostCommand.of("ip", "netns", "list").run();
        lab.topology().namespaces().forEach(n -> assertThat(all).contains(n));
        Netns r = lab.router();
        assertThat(r.exec("nft", "list", "table", "inet", "fw4").run().strip()).isEqualTo("table inet fw4 {\n}");
        assertThat(r.exec("nft", "list", "table", "ip", "nat").run()).contains("oifname { \"wan1\", \"wan2\" } masquerade");
        assertThat(r.exec("nft", "list", "table", "ip6", "nat").run()).contains("masquerade");
        assertThat(r.ip("-4", "route", "show", "default")).contains(
                "default via 198.51.100.9 dev wan1 metric 10", "default via 198.51.100.17 dev wan2 metric 20");
        assertThat(r.ip("-6", "route", "show", "default")).contains(
                "default via 2001:db8:1::1 dev wan1 metric 10", "default via 2001:db8:2::1 dev wan2 metric 20");
        assertThat(r.exec("sysctl", "-n", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding").run().strip()).isEqualTo("1\n1");
        for (String dev : List.of("lan0", "wan1", "wan2")) {
            assertThat(r.link(dev)).isEqualTo(new Netns.LinkState(dev, true, true, "UP"));
        }
        assertThat(lab.describe()).contains(lab.router().name(), "wan2 198.51.100.18/29");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void lanClientReachesEveryServerThroughThePreferredWan(Family f, Lab lab) throws Exception {
        IpAddress server = lab.internet().server(f);
        Tally t = lab.lanClient().tally(server, 20);
        assertThat(t.count("wan1")).as("%s", t).isEqualTo(20); // lowest metric default route, masqueraded
        HttpAnswer http = lab.lanClient().httpGet(server);
        assertThat(http.status()).isEqualTo(200);
        assertThat(http.wan()).contains("wan1");
        assertThat(http.whoami().address()).isEqualTo(lab.isp(1).link().routerAddress(f).address());
        try (UdpFlow flow = lab.lanClient().udpFlow(server, Duration.ofMillis(20), Duration.ofSeconds(10))) {
            assertThat(Poll.until(Duration.ofSeconds(3), () -> flow.samples().stream().filter(s -> s.wan().isPresent()).count() >= 5)).isTrue();
            assertThat(flow.path()).containsExactly("wan1");
        }
        for (IpAddress target : lab.internet().targets(f)) {
            assertThat(lab.lanClient().ping(target, PingOptions.count(3)).received()).isEqualTo(3);
        }
    }

    @Test
    void routerOriginatedTrafficLeavesWithItsWanAddress(Lab lab) throws IOException {
        assertThat(lab.routerClient().tally(lab.internet().server(Family.IPV4), 10).count("wan1")).isEqualTo(10);
        try (TcpSession s = lab.routerClient().session(lab.internet().server(Family.IPV6))) {
            assertThat(s.openedVia()).contains("wan1");
            assertThat(s.via()).contains("wan1");
        }
    }

    /**
     * Stand-in for mwan4: the test writes the policy routing itself (forked nft and ip) - a numgen 3:1 mark per new
     * flow, restored from conntrack, ip rules to per-WAN tables - and the whoami tally measures the split.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void manualPolicyRoutingSplitsNewConnectionsThreeToOne(Family f, Lab lab) throws IOException {
        Netns r = lab.router();
        String v = f == Family.IPV4 ? "-4" : "-6";
        r.nft("""
                table inet labpolicy {
                	chain prerouting {
                		type filter hook prerouting priority mangle; policy accept;
                		iifname "lan0" meta mark set ct mark & 0x3f00
                		iifname "lan0" meta mark & 0x3f00 == 0 meta mark set numgen random mod 4 map { 0-2 : 0x100, 3 : 0x200 }
                		iifname "lan0" ct mark set meta mark
                	}
                }
                """);
        try {
            for (Isp isp : lab.isps()) {
                int k = isp.index();
                r.ip(v, "route", "add", "default", "via", isp.link().gateway(f).toString(), "dev", isp.wan(), "table", "10" + k);
                r.ip(v, "rule", "add", "fwmark", "0x" + k + "00/0x3f00", "lookup", "10" + k, "pref", "100" + k);
            }
            IpAddress server = lab.internet().server(f);
            try (TcpSession existing = lab.lanClient().session(server)) {
                Tally t = lab.lanClient().tally(server, 800);
                assertThat(t.failed() + t.unknown()).as("%s", t).isZero();
                // binomial sd at n=800, p=0.75 is 1.5 points; 6 points is ~4 sd
                assertThat(t.share("wan1")).as("%s", t).isBetween(0.69, 0.81);
                assertThat(t.share("wan2")).as("%s", t).isBetween(0.19, 0.31);
                assertThat(existing.via()).as("an existing flow keeps its WAN").isEqualTo(existing.openedVia());
            }
        } finally {
            r.exec("nft", "delete", "table", "inet", "labpolicy").attempt();
            for (Isp isp : lab.isps()) {
                r.exec("ip", v, "rule", "del", "pref", "100" + isp.index()).attempt();
                r.exec("ip", v, "route", "flush", "table", "10" + isp.index()).attempt();
            }
        }
    }

    /**
     * Inbound connections to a WAN address: the router answers by its main table (default via wan1), so an answer
     * for wan2's address leaves through wan1 and ISP 1 drops it (it only forwards its own customer's prefix, BCP 38)
     * - the problem mwan4's "answer through the WAN it came in on" solves. Through wan1 it works.
     */
    @Test
    void inboundConnectionsOnlyWorkThroughThePreferredWanWithoutPolicyRouting(Lab lab) {
        lab.serveWhoami(lab.router(), List.of(lab.isp(1).link().router4().address(), lab.isp(2).link().router4().address()));
        Tally viaWan1 = lab.internetClient().tally(lab.isp(1).link().router4().address(), 5);
        assertThat(viaWan1.count("wan1")).as("%s", viaWan1).isEqualTo(5);
        Tally viaWan2 = lab.internetClient().tally(lab.isp(2).link().router4().address(), 2, Optional.empty(), Duration.ofMillis(300));
        assertThat(viaWan2.failed()).as("%s", viaWan2).isEqualTo(2);
    }

    @Test
    void ispLinkDownIsCarrierLossOnTheRouter(Lab lab) {
        Isp isp1 = lab.isp(1);
        IpAddress target = lab.internet().targets(Family.IPV4).getFirst();
        try {
            isp1.linkDown();
            assertThat(Poll.until(Duration.ofSeconds(2), () -> !lab.router().link("wan1").carrier())).isTrue();
            Netns.LinkState down = lab.router().link("wan1");
            assertThat(down.adminUp()).as("still admin up, only the carrier is gone").isTrue();
            assertThat(down.operstate()).isEqualTo("DOWN");
            assertThat(lab.router().link("wan2").carrier()).isTrue();
            assertThat(lab.routerClient().ping(target, PingOptions.count(3).via("wan1").waiting(Duration.ofMillis(300))).received()).isZero();
            isp1.linkUp();
            assertThat(Poll.until(Duration.ofSeconds(2), () -> lab.router().link("wan1").carrier())).isTrue();
            assertThat(Poll.until(Duration.ofSeconds(3), () ->
                    lab.routerClient().ping(target, PingOptions.count(1).via("wan1").waiting(Duration.ofMillis(300))).received() == 1)).isTrue();
            assertThat(lab.routerClient().ping(lab.internet().server(Family.IPV6), PingOptions.count(3).via("wan1")).received())
                    .as("IPv6 addresses survive the link going down").isEqualTo(3);
        } finally {
            isp1.linkUp();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void lossDropsThatShareOfRoundTripsThroughThatIspOnly(Family f, Lab lab) {
        IpAddress target = lab.internet().targets(f).getFirst();
        PingOptions many = PingOptions.count(300).every(Duration.ofMillis(2)).waiting(Duration.ofMillis(500));
        try {
            lab.isp(2).loss(30);
            PingResult lossy = lab.routerClient().ping(target, many.via("wan2"));
            // binomial sd at n=300, p=0.3 is 2.6 points; 12 points is ~4.5 sd
            assertThat(lossy.lossPercent()).as("%s", lossy).isBetween(18.0, 42.0);
            PingResult clean = lab.routerClient().ping(target, PingOptions.count(50).every(Duration.ofMillis(2)).via("wan1"));
            assertThat(clean.lossPercent()).as("%s", clean).isZero();
            lab.isp(2).loss(0);
            PingResult healed = lab.routerClient().ping(target, PingOptions.count(50).every(Duration.ofMillis(2)).via("wan2"));
            assertThat(healed.lossPercent()).as("%s", healed).isZero();
        } finally {
            lab.isp(2).clear();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void delayAddsLatencyToRepliesThroughThatIspOnly(Family f, Lab lab) throws IOException {
        Duration delay = Duration.ofMillis(120);
        IpAddress target = lab.internet().targets(f).getLast();
        try {
            lab.internet().delay(2, delay);
            PingResult slow = lab.routerClient().ping(target, PingOptions.count(5).via("wan2"));
            assertThat(slow.received()).as("%s", slow).isEqualTo(5);
            assertThat(slow.min()).as("%s", slow).isGreaterThanOrEqualTo(delay);
            assertThat(slow.max()).as("%s", slow).isLessThan(delay.plusMillis(400));
            assertThat(lab.internet().delayedReplies()).as("answered by the userspace responder").isGreaterThanOrEqualTo(5);
            PingResult fast = lab.routerClient().ping(target, PingOptions.count(5).via("wan1"));
            assertThat(fast.received()).isEqualTo(5);
            assertThat(fast.min()).as("%s", fast).isLessThan(delay);

            lab.internet().delay(1, delay); // the LAN client's traffic leaves via wan1: servers answer late too
            HttpAnswer http = lab.lanClient().httpGet(lab.internet().server(f));
            assertThat(http.elapsed()).isGreaterThanOrEqualTo(delay);

            lab.internet().delay(1, Duration.ZERO);
            lab.internet().delay(2, Duration.ZERO);
            PingResult again = lab.routerClient().ping(target, PingOptions.count(5).via("wan2"));
            assertThat(again.received()).isEqualTo(5);
            assertThat(again.min()).as("%s", again).isLessThan(delay);
        } finally {
            lab.internet().clear();
        }
    }

    @Test
    void blackholedTargetsGoSilentPerIspOrEverywhere(Lab lab) {
        IpAddress t1 = lab.internet().targets(Family.IPV4).get(0);
        IpAddress t2 = lab.internet().targets(Family.IPV4).get(1);
        IpAddress t6 = lab.internet().targets(Family.IPV6).get(0);
        PingOptions three = PingOptions.count(3).waiting(Duration.ofMillis(300));
        LabClient router = lab.routerClient();
        try {
            lab.isp(1).blackhole(t1);
            lab.isp(1).blackhole(t6);
            assertThat(router.ping(t1, three.via("wan1")).received()).isZero();
            assertThat(router.ping(t6, three.via("wan1")).received()).isZero();
            assertThat(router.ping(t2, three.via("wan1")).received()).isEqualTo(3);
            assertThat(router.ping(t1, three.via("wan2")).received()).isEqualTo(3);
            lab.isp(1).unblackhole(t1);
            assertThat(router.ping(t1, three.via("wan1")).received()).isEqualTo(3);

            lab.internet().blackhole(t2);
            assertThat(router.ping(t2, three.via("wan1")).received()).isZero();
            assertThat(router.ping(t2, three.via("wan2")).received()).isZero();
            assertThat(Optional.of(lab.internet().impairment().blackholed())).hasValueSatisfying(s -> assertThat(s).containsExactly(t2));
        } finally {
            lab.isp(1).clear();
            lab.internet().clear();
        }
        assertThat(router.ping(t2, three.via("wan1")).received()).isEqualTo(3);
    }
}
