package org.mwan4.api.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.Tracker;
import org.mwan4.core.TrackerStatus;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Planner;

/** Explain against the real planner: one row per rule match type, hook step and last resort. */
class ExplainerTest {
    static final String CONFIG = """
            config interface 'wan'
            	option enabled '1'
            	option device 'eth0'
            	list family 'ipv4'
            	list family 'ipv6'
            	list track_ip '192.0.2.1'
            	list track_ip '2001:db8:1::1'

            config interface 'wanb'
            	option enabled '1'
            	option device 'eth1'
            	list track_ip '192.0.2.65'

            config interface 'lan'
            	option enabled '0'
            	option device 'br-lan'

            config route 'wan_m1_w3'
            	option interface 'wan'
            	option weight '3'

            config route 'wanb_m1_w1'
            	option interface 'wanb'

            config strategy 'balanced'
            	list use_route 'wan_m1_w3'
            	list use_route 'wanb_m1_w1'

            config strategy 'wan_only'
            	list use_route 'wan_m1_w3'

            config strategy 'wanb_only'
            	list use_route 'wanb_m1_w1'
            	option last_resort 'blackhole'

            config rule 'https'
            	option proto 'tcp'
            	option dest_port '443'
            	option use_strategy 'balanced'
            	option sticky '1'

            config rule 'web'
            	option proto 'tcp'
            	option dest_ip '203.0.113.0/24'
            	option dest_port '80,8000-8080'
            	option use_strategy 'wan_only'

            config rule 'sip'
            	option proto 'udp'
            	option src_ip '198.51.100.0/25'
            	option src_port '5060'
            	option use_strategy 'unreachable'

            config rule 'guests'
            	option src_iface 'lan'
            	option src_ip '198.51.100.128/25'
            	option use_strategy 'blackhole'

            config rule 'vpn'
            	option ipset 'vpn_dst'
            	option use_strategy 'wan_only'

            config rule 'ping'
            	option proto 'icmp'
            	option use_strategy 'default'

            config rule 'tunnel'
            	option proto '47'
            	option use_strategy 'wanb_only'

            config rule 'default_rule'
            	list family 'ipv4'
            	option dest_ip '0.0.0.0/0'
            	option use_strategy 'balanced'

            config rule 'default_v6'
            	list family 'ipv6'
            	option dest_ip '::/0'
            	option use_strategy 'wan_only'
            """;

    static Config config() {
        try {
            return ConfigLoader.load("mwan4", CONFIG, null);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    /** lo, br-lan (198.51.100.1/24), eth0 (192.0.2.2/26, 2001:db8:1::2/64), eth1 (192.0.2.66/26); trackers as given. */
    static State state(TrackerStatus wan, TrackerStatus wanb) {
        SortedMap<Integer, State.Link> links = new TreeMap<>();
        links.put(1, new State.Link(1, "lo", true, true, "unknown"));
        links.put(2, new State.Link(2, "br-lan", true, true, "up"));
        links.put(3, new State.Link(3, "eth0", true, true, "up"));
        links.put(4, new State.Link(4, "eth1", true, true, "up"));
        SortedMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>();
        addrs.put(1, new TreeSet<>(List.of(cidr("127.0.0.1/8"))));
        addrs.put(2, new TreeSet<>(List.of(cidr("198.51.100.1/24"))));
        addrs.put(3, new TreeSet<>(List.of(cidr("192.0.2.2/26"), cidr("2001:db8:1::2/64"))));
        addrs.put(4, new TreeSet<>(List.of(cidr("192.0.2.66/26"))));
        SortedSet<RouteFact> routes = new TreeSet<>(State.ROUTE_ORDER);
        routes.add(new RouteFact(254, Family.IPV4, cidr("0.0.0.0/0"), ip("192.0.2.1"), 3, 10, "unicast", 4, 0, null, null));
        routes.add(new RouteFact(254, Family.IPV4, cidr("0.0.0.0/0"), ip("192.0.2.65"), 4, 20, "unicast", 4, 0, null, null));
        routes.add(new RouteFact(254, Family.IPV4, cidr("192.0.2.0/26"), null, 3, 0, "unicast", 2, 253, null, ip("192.0.2.2")));
        routes.add(new RouteFact(254, Family.IPV4, cidr("192.0.2.64/26"), null, 4, 0, "unicast", 2, 253, null, ip("192.0.2.66")));
        routes.add(new RouteFact(254, Family.IPV4, cidr("198.51.100.0/24"), null, 2, 0, "unicast", 2, 253, null, ip("198.51.100.1")));
        routes.add(new RouteFact(254, Family.IPV6, cidr("::/0"), ip("2001:db8:1::1"), 3, 512, "unicast", 4, 0, null, null));
        routes.add(new RouteFact(254, Family.IPV6, cidr("2001:db8:1::/64"), null, 3, 256, "unicast", 2, 0, null, null));
        SortedMap<State.TrackerKey, Tracker> trackers = new TreeMap<>();
        trackers.put(new State.TrackerKey("wan", Family.IPV4), Tracker.withStatus(wan));
        trackers.put(new State.TrackerKey("wan", Family.IPV6), Tracker.withStatus(wan));
        trackers.put(new State.TrackerKey("wanb", Family.IPV4), Tracker.withStatus(wanb));
        return State.initial().withConfig(config()).withFacts(links, addrs, routes).withTrackers(trackers);
    }

    static Explanation explain(State s, Flow f) {
        return Explainer.explain(s.config(), Planner.plan(s), f);
    }

    static Flow flow(String src, String dst, String proto, Integer sport, Integer dport, String iif) {
        return new Flow(ip(src), ip(dst), proto, sport, dport, iif);
    }

    /** Expected: "share% meaning rule strategy" per outcome, and text that must be in the trace/result. */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("connected destination gets the default mark",
                        flow("198.51.100.20", "192.0.2.70", "tcp", 40000, 22, "br-lan"),
                        List.of("100 default - -"), "destination 192.0.2.70 is in mwan4_connected_ipv4 (192.0.2.64/26)"),
                Arguments.of("tcp dport: sticky https, balanced 3:1",
                        flow("198.51.100.20", "203.0.113.7", "tcp", 40000, 443, "br-lan"),
                        List.of("75 wan https balanced", "25 wanb https balanced"), "leaves through eth0 via 192.0.2.1"),
                Arguments.of("dest_ip + port range",
                        flow("198.51.100.20", "203.0.113.9", "tcp", 40000, 8080, "br-lan"),
                        List.of("100 wan web wan_only"), "tcp destination port 8080 is in {80, 8000-8080}"),
                Arguments.of("port outside the range falls through to the default rule",
                        flow("198.51.100.20", "203.0.113.9", "tcp", 40000, 9090, "br-lan"),
                        List.of("75 wan default_rule balanced", "25 wanb default_rule balanced"),
                        "rule 'web' does not match: tcp destination port 9090 is not in {80, 8000-8080}"),
                Arguments.of("src_ip + udp sport -> unreachable",
                        flow("198.51.100.10", "203.0.113.9", "udp", 5060, 5060, "br-lan"),
                        List.of("100 unreachable sip -"), "rejected: network unreachable"),
                Arguments.of("src_iface + src_ip -> blackhole",
                        flow("198.51.100.130", "192.0.2.200", "tcp", 40000, 80, "br-lan"),
                        List.of("100 blackhole guests -"), "dropped silently"),
                Arguments.of("src_iface does not match the router's own traffic",
                        flow("198.51.100.130", "192.0.2.200", "tcp", 40000, 80, null),
                        List.of("75 wan default_rule balanced", "25 wanb default_rule balanced"),
                        "the router's own traffic arrives on no device"),
                Arguments.of("ipset whose contents mwan4 does not know",
                        flow("198.51.100.20", "192.0.2.200", "udp", 40000, 53, "br-lan"),
                        List.of("75 wan default_rule balanced", "25 wanb default_rule balanced"),
                        "the contents of set vpn_dst are not known to mwan4"),
                Arguments.of("proto icmp -> default (main table)",
                        flow("198.51.100.20", "192.0.2.200", "icmp", null, null, "br-lan"),
                        List.of("100 default ping -"), "default mark: normal routing"),
                Arguments.of("proto given as a number (47 = gre)",
                        flow("198.51.100.20", "192.0.2.200", "47", null, null, "br-lan"),
                        List.of("100 wanb tunnel wanb_only"), "leaves through eth1 via 192.0.2.65"),
                Arguments.of("no proto given: only address rules can match",
                        flow("198.51.100.20", "192.0.2.200", null, null, null, "br-lan"),
                        List.of("75 wan default_rule balanced", "25 wanb default_rule balanced"),
                        "protocol not given (--proto) but the rule needs tcp"),
                Arguments.of("IPv6 family rule",
                        flow("2001:db8:100::5", "2001:db8:ff::1", "tcp", 40000, 22, "br-lan"),
                        List.of("100 wan default_v6 wan_only"), "leaves through eth0 via 2001:db8:1::1"),
                Arguments.of("arriving on a WAN: replies leave by the WAN they came in on",
                        flow("192.0.2.200", "203.0.113.50", "tcp", 40000, 22, "eth1"),
                        List.of("100 wanb - -"), "mwan4_iface_in_wanb_ipv4 rule 4: mark 0x200 (wanb)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void explains(String name, Flow flow, List<String> expected, String why) {
        Explanation e = explain(state(TrackerStatus.ONLINE, TrackerStatus.ONLINE), flow);
        assertThat(e.outcomes().stream().map(ExplainerTest::summary).toList()).isEqualTo(expected);
        String all = e.outcomes().stream().map(o -> String.join("\n", o.trace()) + "\n" + o.result())
                .reduce("", String::concat) + String.join("\n", e.notes());
        assertThat(all).contains(why);
        assertThat(e.outcomes().stream().mapToDouble(Explanation.Outcome::probability).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    static String summary(Explanation.Outcome o) {
        return Math.round(o.probability() * 100) + " " + o.meaning() + " " + (o.rule() == null ? "-" : o.rule()) + " "
                + (o.strategy() == null ? "-" : o.strategy());
    }

    @Test
    void aWanThatGoesOfflineLeavesTheBalance() {
        Explanation e = explain(state(TrackerStatus.ONLINE, TrackerStatus.OFFLINE),
                flow("198.51.100.20", "203.0.113.7", "tcp", 40000, 443, "br-lan"));
        assertThat(e.outcomes()).extracting(ExplainerTest::summary).containsExactly("100 wan https balanced");
    }

    @Test
    void withNothingOnlineTheLastResortDecides() {
        Explanation e = explain(state(TrackerStatus.OFFLINE, TrackerStatus.OFFLINE),
                flow("198.51.100.20", "192.0.2.200", "gre", null, null, "br-lan"));
        assertThat(e.outcomes()).extracting(ExplainerTest::summary).containsExactly("100 blackhole tunnel wanb_only");
        assertThat(e.outcomes().getFirst().result()).startsWith("dropped silently");
    }

    @Test
    void textTheParserCannotReadIsNamedNotGuessed() {
        Desired d = Planner.plan(state(TrackerStatus.ONLINE, TrackerStatus.ONLINE));
        TreeMap<String, org.mwan4.plan.NftChain> chains = new TreeMap<>(d.chains());
        chains.put("mwan4_rules_ipv4", new org.mwan4.plan.NftChain("mwan4_rules_ipv4", null,
                List.of("meta mark & 0x00003f00 == 0x00000000 fib daddr type local accept")));
        Desired odd = new Desired(d.sets(), chains, d.ipRules(), d.routes());
        Explanation e = Explainer.explain(config(), odd, flow("198.51.100.20", "192.0.2.200", "tcp", 1, 2, "br-lan"));
        assertThat(e.notes()).anyMatch(n -> n.contains("cannot evaluate 'fib daddr type local accept'"));
        assertThat(e.outcomes()).extracting(ExplainerTest::summary).containsExactly("100 none - -");
    }

    @Test
    void setsTheKernelFillsAreTheOnesToRead() {
        Desired d = Planner.plan(state(TrackerStatus.ONLINE, TrackerStatus.ONLINE));
        assertThat(Explainer.setsToRead(d)).containsExactly("mwan4_dynamic_ipv4", "mwan4_dynamic_ipv6", "mwan4_rule_ipv4_https_1",
                "mwan4_rule_ipv4_https_2", "mwan4_rule_ipv6_https_1", "vpn_dst");
    }

    @Test
    void aUserSetReadFromTheKernelDecides() {
        State s = state(TrackerStatus.ONLINE, TrackerStatus.ONLINE);
        Flow f = flow("198.51.100.20", "192.0.2.200", "udp", 40000, 53, "br-lan");
        SortedMap<String, SortedSet<Cidr>> kernel = new TreeMap<>();
        kernel.put("vpn_dst", new TreeSet<>(List.of(cidr("192.0.2.192/26"))));
        Explanation e = Explainer.explain(s.config(), Planner.plan(s), f, kernel);
        assertThat(e.outcomes()).extracting(ExplainerTest::summary).containsExactly("100 wan vpn wan_only");
        assertThat(e.outcomes().getFirst().device()).isEqualTo("eth0");
        assertThat(String.join("\n", e.outcomes().getFirst().trace())).contains("destination 192.0.2.200 is in vpn_dst (192.0.2.192/26)");
        assertThat(e.notes()).contains("the contents of set vpn_dst were read from the kernel");

        kernel.put("vpn_dst", new TreeSet<>(List.of(cidr("203.0.113.0/24"))));
        assertThat(Explainer.explain(s.config(), Planner.plan(s), f, kernel).outcomes()).extracting(ExplainerTest::summary)
                .containsExactly("75 wan default_rule balanced", "25 wanb default_rule balanced");
    }

    @Test
    void aStickySourceTheKernelRemembersKeepsItsWan() {
        State s = state(TrackerStatus.ONLINE, TrackerStatus.ONLINE);
        Flow f = flow("198.51.100.20", "203.0.113.7", "tcp", 40000, 443, "br-lan");
        SortedMap<String, SortedSet<Cidr>> kernel = new TreeMap<>();
        kernel.put("mwan4_rule_ipv4_https_1", new TreeSet<>());
        kernel.put("mwan4_rule_ipv4_https_2", new TreeSet<>(List.of(cidr("198.51.100.20/32"))));
        Explanation e = Explainer.explain(s.config(), Planner.plan(s), f, kernel);
        assertThat(e.outcomes()).extracting(ExplainerTest::summary).containsExactly("100 wanb https -");
        assertThat(e.outcomes().getFirst().device()).isEqualTo("eth1");
        assertThat(String.join("\n", e.outcomes().getFirst().trace())).contains("source 198.51.100.20 is remembered in mwan4_rule_ipv4_https_2");

        Explanation unknown = Explainer.explain(s.config(), Planner.plan(s), f);
        assertThat(unknown.outcomes()).extracting(ExplainerTest::summary).containsExactly("75 wan https balanced", "25 wanb https balanced");
        assertThat(unknown.notes()).anyMatch(n -> n.startsWith("sticky: assumed that 198.51.100.20 has no entry in mwan4_rule_ipv4_https_1"));
    }

    @Test
    void theRoutersOwnTrafficIsNotTakenForAMwan4UseProcess() {
        State s = state(TrackerStatus.ONLINE, TrackerStatus.ONLINE).withUseCgroups(new org.mwan4.core.UseCgroups(
                "/sys/fs/cgroup/mwan4", "mwan4", 2, new TreeSet<>(List.of("wan", "wanb")), ""));
        Desired d = Planner.plan(s);
        assertThat(d.chains().get("mwan4_output").rules()).anyMatch(r -> r.contains("socket cgroupv2 level 2 \"mwan4/wanb\""));
        Explanation e = Explainer.explain(s.config(), d, flow("192.0.2.2", "203.0.113.7", "tcp", 40000, 443, null));
        assertThat(e.notes()).noneMatch(n -> n.contains("cannot evaluate"));
        assertThat(e.outcomes()).extracting(ExplainerTest::summary).containsExactly("75 wan https balanced", "25 wanb https balanced");
    }
}
