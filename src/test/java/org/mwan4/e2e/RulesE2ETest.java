package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.HttpAnswer;
import org.mwan4.lab.Lab;
import org.mwan4.lab.PingOptions;
import org.mwan4.lab.Tally;
import org.mwan4.lab.UdpFlow;
import org.mwan4.lab.WithLab;

/**
 * User rules with real traffic, first match wins: by destination port/proto, source address, destination
 * address, a user's nft set ({@code ipset}), the interface traffic entered on ({@code src_iface}); a rule that
 * makes one source unreachable still lets it reach connected networks and the router; router-originated
 * traffic follows the rules too. Everything not matched is balanced 3:1.
 */
@WithLab(lanHosts = 6, targets = 3)
@Tag("e2e")
class RulesE2ETest {
    private static final String USER_SET = "e2e_dst";
    private static Running mwan4;

    @BeforeAll
    static void start(Lab lab) {
        IpAddress viaSet = lab.internet().targets(Family.IPV4).get(2);
        // a set of the user's own in fw4 (ipset rules name an existing set), created before mwan4 starts
        lab.router().nft("add set inet fw4 " + USER_SET + " { type ipv4_addr; }\nadd element inet fw4 " + USER_SET
                + " { " + viaSet + " }\n");
        String rules = """
                config interface 'lan'
                	option enabled '0'
                	option device 'lan0'

                config rule 'http'
                	option proto 'tcp'
                	option dest_port '80'
                	option use_strategy 'via_wan2'

                config rule 'from_host11'
                	option src_ip '%s'
                	option use_strategy 'via_wan2'

                config rule 'to_target2'
                	option dest_ip '%s'
                	option use_strategy 'via_wan2'

                config rule 'set_members'
                	option ipset '%s'
                	option use_strategy 'via_wan2'

                config rule 'lan_udp'
                	option src_iface 'lan'
                	option proto 'udp'
                	option use_strategy 'via_wan2'

                config rule 'host12_nowhere'
                	option src_ip '%s'
                	option use_strategy 'unreachable'

                """.formatted(lanHost(lab, 1), lab.internet().targets(Family.IPV4).get(1), USER_SET, lanHost(lab, 2));
        mwan4 = Running.start(lab, Uci.wans(lab, List.of(), Uci.ROUTES + rules + Uci.everything("balanced")));
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        mwan4.awaitStatus("wan2", Family.IPV4, TrackerStatus.ONLINE);
    }

    @AfterAll
    static void stop() {
        if (mwan4 != null) {
            mwan4.close();
        }
    }

    private static IpAddress lanHost(Lab lab, int k) {
        return lab.topology().lan().hosts4().get(k).address();
    }

    @Test
    void destinationPortAndProtocol(Lab lab) throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpAnswer a = lab.lanClient().httpGet(lab.internet().server(Family.IPV4));
            assertThat(a.wan()).contains("wan2");
        }
        Tally whoami = lab.lanClient().tally(lab.internet().server(Family.IPV4), 100);
        assertThat(whoami.count("wan1")).as("port 7000 is balanced: %s", whoami).isBetween(55, 95);
    }

    @Test
    void sourceAddress(Lab lab) {
        Tally t = lab.lanClient().tally(lab.internet().server(Family.IPV4), 50, Optional.of(lanHost(lab, 1)), Duration.ofSeconds(2));
        assertThat(t.count("wan2")).as("%s", t).isEqualTo(50);
    }

    @Test
    void destinationAddress(Lab lab) {
        Tally t = lab.lanClient().tally(lab.internet().targets(Family.IPV4).get(1), 50);
        assertThat(t.count("wan2")).as("%s", t).isEqualTo(50);
    }

    @Test
    void membersOfAUsersSet(Lab lab) {
        Tally t = lab.lanClient().tally(lab.internet().targets(Family.IPV4).get(2), 50);
        assertThat(t.count("wan2")).as("%s", t).isEqualTo(50);
        Tally other = lab.lanClient().tally(lab.internet().targets(Family.IPV4).get(0), 100);
        assertThat(other.count("wan1")).as("not in the set: balanced %s", other).isPositive();
    }

    @Test
    void trafficEnteringOnTheLanInterface(Lab lab) throws InterruptedException {
        List<UdpFlow> flows = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                flows.add(lab.lanClient().udpFlow(lab.internet().server(Family.IPV4), Duration.ofMillis(20), Duration.ofSeconds(5)));
            }
            Thread.sleep(300);
            for (UdpFlow f : flows) {
                assertThat(f.path()).containsExactly("wan2");
            }
        } finally {
            flows.forEach(UdpFlow::close);
        }
    }

    @Test
    void connectedNetworksAndTheRouterBypassTheRules(Lab lab) {
        IpAddress host12 = lanHost(lab, 2);
        Tally internet = lab.lanClient().tally(lab.internet().server(Family.IPV4), 3, Optional.of(host12), Duration.ofSeconds(1));
        assertThat(internet.failed()).as("rule 'unreachable' applies to the internet: %s", internet).isEqualTo(3);
        // the same source still reaches the router and both ISPs' gateways (connected networks)
        for (IpAddress a : List.of(lab.topology().lan().router4().address(), lab.isp(1).link().gateway4(), lab.isp(2).link().gateway4())) {
            assertThat(lab.lan().exec("ping", "-c", "2", "-i", "0.05", "-W", "1", "-I", host12.toString(), a.toString()).attempt().ok())
                    .as("ping %s from %s", a, host12).isTrue();
        }
    }

    @Test
    void routerOriginatedTrafficFollowsTheRules(Lab lab) throws Exception {
        Tally t = lab.routerClient().tally(lab.internet().server(Family.IPV4), 200);
        assertThat(t.failed()).isZero();
        assertThat(t.share("wan1")).as("balanced from the router too: %s", t).isBetween(0.62, 0.88);
        for (int i = 0; i < 10; i++) {
            assertThat(lab.routerClient().httpGet(lab.internet().server(Family.IPV4)).wan()).contains("wan2");
        }
        assertThat(lab.routerClient().ping(lab.internet().targets(Family.IPV4).get(1), PingOptions.count(3)).received()).isEqualTo(3);
    }
}
