package org.mwan4.api;

import org.mwan4.plan.KernelDump;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.Tracker;
import org.mwan4.core.TrackerStatus;
import org.mwan4.core.TrackingState;
import org.mwan4.plan.Desired;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/**
 * One router for the API and CLI tests: wan (eth0, IPv4 + IPv6) and wanb (eth1, IPv4) balanced 3:1 in metric 1,
 * lte (wwan0) as metric-2 backup, lan disabled. wan is online on both families, wanb is offline, lte connecting.
 * "Now" is {@link #NOW}; wan went online 26m37s before it.
 */
public final class ApiFixture {
    public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    public static final String CONFIG = """
            config globals 'globals'
            	option mmx_mask '0x3F00'

            config interface 'wan'
            	option enabled '1'
            	option device 'eth0'
            	list family 'ipv4'
            	list family 'ipv6'
            	list track_ip '192.0.2.1'
            	list track_ip '198.51.100.1'
            	list track_ip '2001:db8:1::1'

            config interface 'wanb'
            	option enabled '1'
            	option device 'eth1'
            	list track_ip '192.0.2.65'

            config interface 'lte'
            	option enabled '1'
            	option device 'wwan0'
            	list track_ip '203.0.113.1'

            config interface 'lan'
            	option enabled '0'
            	option device 'br-lan'

            config route 'wan_m1_w3'
            	option interface 'wan'
            	option metric '1'
            	option weight '3'

            config route 'wanb_m1_w1'
            	option interface 'wanb'
            	option metric '1'
            	option weight '1'

            config route 'lte_m2_w1'
            	option interface 'lte'
            	option metric '2'

            config strategy 'balanced'
            	list use_route 'wan_m1_w3'
            	list use_route 'wanb_m1_w1'
            	list use_route 'lte_m2_w1'
            	option last_resort 'unreachable'

            config strategy 'wanb_only'
            	list use_route 'wanb_m1_w1'
            	option last_resort 'blackhole'

            config rule 'https'
            	option proto 'tcp'
            	option dest_port '443'
            	option use_strategy 'balanced'

            config rule 'default_rule'
            	option dest_ip '0.0.0.0/0'
            	option use_strategy 'balanced'
            """;

    private ApiFixture() {}

    public static Config config() {
        try {
            return ConfigLoader.load("/etc/config/mwan4", CONFIG, null);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    /** The state behind {@link #status()}: links, addresses, main-table routes and trackers. */
    public static State state() {
        SortedMap<Integer, State.Link> links = new TreeMap<>();
        links.put(1, new State.Link(1, "lo", true, true, "unknown"));
        links.put(2, new State.Link(2, "br-lan", true, true, "up"));
        links.put(3, new State.Link(3, "eth0", true, true, "up"));
        links.put(4, new State.Link(4, "eth1", true, true, "up"));
        links.put(5, new State.Link(5, "wwan0", true, true, "up"));
        SortedMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>();
        addrs.put(2, new TreeSet<>(List.of(cidr("198.51.100.1/24"))));
        addrs.put(3, new TreeSet<>(List.of(cidr("192.0.2.2/26"), cidr("2001:db8:1::2/64"))));
        addrs.put(4, new TreeSet<>(List.of(cidr("192.0.2.66/26"))));
        addrs.put(5, new TreeSet<>(List.of(cidr("203.0.113.2/24"))));
        SortedSet<RouteFact> routes = new TreeSet<>(State.ROUTE_ORDER);
        routes.add(new RouteFact(254, Family.IPV4, cidr("0.0.0.0/0"), ip("192.0.2.1"), 3, 10, "unicast", 4, 0, null, null));
        routes.add(new RouteFact(254, Family.IPV4, cidr("0.0.0.0/0"), ip("192.0.2.65"), 4, 20, "unicast", 4, 0, null, null));
        routes.add(new RouteFact(254, Family.IPV4, cidr("0.0.0.0/0"), ip("203.0.113.1"), 5, 30, "unicast", 4, 0, null, null));
        routes.add(new RouteFact(254, Family.IPV6, cidr("::/0"), ip("fe80::1"), 3, 512, "unicast", 4, 0, null, null));
        Instant wanUp = NOW.minus(Duration.ofMinutes(26).plusSeconds(37));
        Instant linkUp = NOW.minus(Duration.ofHours(48).plusMinutes(32).plusSeconds(45)); // mwan3's "uptime"
        SortedMap<State.TrackerKey, Tracker> trackers = new TreeMap<>();
        trackers.put(new State.TrackerKey("wan", Family.IPV4), new Tracker(TrackerStatus.ONLINE, TrackingState.ACTIVE, 10, 0, 42,
                wanUp, null, List.of(new Tracker.Target(ip("192.0.2.1"), Tracker.Verdict.UP, 12.5, 0, 1.25),
                        new Tracker.Target(ip("198.51.100.1"), Tracker.Verdict.SKIPPED, null, null, null)),
                Duration.ofSeconds(10), "eth0", ip("192.0.2.2"), true, linkUp));
        trackers.put(new State.TrackerKey("wan", Family.IPV6), new Tracker(TrackerStatus.ONLINE, TrackingState.ACTIVE, 10, 0, 40,
                wanUp.plusSeconds(7), null, List.of(new Tracker.Target(ip("2001:db8:1::1"), Tracker.Verdict.UP, 20.0, 0, 2.0)),
                Duration.ofSeconds(10), "eth0", ip("2001:db8:1::2"), true, linkUp));
        trackers.put(new State.TrackerKey("wanb", Family.IPV4), new Tracker(TrackerStatus.OFFLINE, TrackingState.ACTIVE, 0, 3, 7,
                null, NOW.minusSeconds(95), List.of(new Tracker.Target(ip("192.0.2.65"), Tracker.Verdict.DOWN, null, 100, null)),
                Duration.ofSeconds(10), "eth1", ip("192.0.2.66"), false, NOW.minusSeconds(600)));
        trackers.put(new State.TrackerKey("lte", Family.IPV4), new Tracker(TrackerStatus.CONNECTING, TrackingState.ACTIVE, 2, 0, 2,
                null, NOW.minusSeconds(3700), List.of(new Tracker.Target(ip("203.0.113.1"), Tracker.Verdict.UP, 48.0, 0, 8.5)),
                Duration.ofSeconds(10), "wwan0", ip("203.0.113.2"), false, NOW.minusSeconds(12)));
        return State.initial().withConfig(config()).withFacts(links, addrs, routes).withTrackers(trackers).at(NOW);
    }

    public static StatusSnapshot status() {
        return StatusSnapshot.of(state());
    }

    /**
     * A plan in the planner's shape for {@link #state()} (written out until the planner is on this branch): the
     * connected sets, the ip rules, the routes and a few chains.
     */
    public static Desired desired() {
        TreeMap<String, NftSet> sets = new TreeMap<>();
        sets.put("mwan4_connected_ipv4", new NftSet("mwan4_connected_ipv4", "ipv4_addr", true, 0, new TreeSet<>(List.of(
                cidr("127.0.0.0/8"), cidr("192.0.2.0/26"), cidr("192.0.2.64/26"), cidr("198.51.100.0/24"),
                cidr("203.0.113.0/24"), cidr("224.0.0.0/3"))), true));
        sets.put("mwan4_connected_ipv6", new NftSet("mwan4_connected_ipv6", "ipv6_addr", true, 0,
                new TreeSet<>(List.of(cidr("2001:db8:1::/64"), cidr("ff00::/8"))), true));
        sets.put("mwan4_custom_ipv4", new NftSet("mwan4_custom_ipv4", "ipv4_addr", true, 0, new TreeSet<>(), true));
        sets.put("mwan4_custom_ipv6", new NftSet("mwan4_custom_ipv6", "ipv6_addr", true, 0, new TreeSet<>(), true));
        TreeMap<String, NftChain> chains = new TreeMap<>();
        String unmarked = "meta mark & 0x00003f00 == 0x00000000";
        chains.put("mwan4_iface_in_wan_ipv4", new NftChain("mwan4_iface_in_wan_ipv4", null, List.of(
                unmarked + " meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan\"")));
        chains.put("mwan4_iface_in_wan_ipv6", new NftChain("mwan4_iface_in_wan_ipv6", null, List.of(
                unmarked + " meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan\"")));
        chains.put("mwan4_iface_in_wanb_ipv4", new NftChain("mwan4_iface_in_wanb_ipv4", null, List.of(
                unmarked + " meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb\"")));
        chains.put("mwan4_iface_in_lte_ipv4", new NftChain("mwan4_iface_in_lte_ipv4", null, List.of(
                unmarked + " meta mark set meta mark & 0xffffc3ff | 0x00000300 comment \"lte\"")));
        TreeSet<IpRule> rules = new TreeSet<>();
        for (int id = 1; id <= 3; id++) {
            int mark = id << 8;
            rules.add(new IpRule(Family.IPV4, 1000 + id, List.of("eth0", "eth1", "wwan0").get(id - 1), 0, 0, IpRule.Action.LOOKUP, id));
            rules.add(new IpRule(Family.IPV4, 2000 + id, "", mark, 0x3f00, IpRule.Action.LOOKUP, id));
            rules.add(new IpRule(Family.IPV4, 3000 + id, "", mark, 0x3f00, IpRule.Action.UNREACHABLE, 0));
        }
        rules.add(new IpRule(Family.IPV6, 1001, "eth0", 0, 0, IpRule.Action.LOOKUP, 1));
        rules.add(new IpRule(Family.IPV6, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 1));
        rules.add(new IpRule(Family.IPV6, 3001, "", 0x100, 0x3f00, IpRule.Action.UNREACHABLE, 0));
        TreeSet<IpRoute> routes = new TreeSet<>();
        routes.add(new IpRoute(1, cidr("0.0.0.0/0"), "unicast", ip("192.0.2.1"), "eth0", 10, null, null, 4, 0));
        routes.add(new IpRoute(1, cidr("::/0"), "unicast", ip("fe80::1"), "eth0", 512, null, null, 4, 0));
        routes.add(new IpRoute(2, cidr("0.0.0.0/0"), "unicast", ip("192.0.2.65"), "eth1", 20, null, null, 4, 0));
        // lte has no default route in its table: mwan3 would say "error (16)"
        return new Desired(sets, chains, rules, routes);
    }

    /** What a router with wan (eth0) and wanb (eth1) shows for {@code mwan4 internal}, in the shape the kernel port reads. */
    public static KernelDump kernelDump(Family f) {
        boolean v4 = f == Family.IPV4;
        String inet = v4 ? "inet" : "inet6";
        String ip = v4 ? "192.0.2.2/26" : "2001:db8:1::2/64";
        List<KernelDump.Link> links = List.of(
                new KernelDump.Link(1, "lo", "1: lo: <LOOPBACK,UP,LOWER_UP> state UNKNOWN", List.of(new KernelDump.Address(
                        v4 ? "127.0.0.1/8" : "::1/128", "host", v4 ? "inet 127.0.0.1/8 scope host lo" : "inet6 ::1/128 scope host"))),
                new KernelDump.Link(3, "eth0", "3: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> state UP", List.of(
                        new KernelDump.Address(ip, "global", inet + " " + ip + " scope global" + (v4 ? " eth0" : "")))));
        List<KernelDump.Table> tables = v4
                ? List.of(new KernelDump.Table("main", 254, List.of("default via 192.0.2.1 dev eth0 proto static metric 10",
                        "192.0.2.0/26 dev eth0 proto kernel scope link src 192.0.2.2")),
                  new KernelDump.Table("1", 1, List.of("default via 192.0.2.1 dev eth0 proto static metric 10",
                        "192.0.2.0/26 dev eth0 proto kernel scope link src 192.0.2.2")),
                  new KernelDump.Table("2", 2, List.of()))
                : List.of(new KernelDump.Table("main", 254, List.of("2001:db8:1::/64 dev eth0 proto kernel metric 256")));
        List<KernelDump.Rule> rules = v4
                ? List.of(new KernelDump.Rule(0, false, "0:\tfrom all lookup local"),
                  new KernelDump.Rule(1001, true, "1001:\tfrom all iif eth0 lookup 1"),
                  new KernelDump.Rule(2001, true, "2001:\tfrom all fwmark 0x100/0x3f00 lookup 1"),
                  new KernelDump.Rule(3001, true, "3001:\tfrom all fwmark 0x100/0x3f00 unreachable"),
                  new KernelDump.Rule(32766, false, "32766:\tfrom all lookup main"),
                  new KernelDump.Rule(32767, false, "32767:\tfrom all lookup default"))
                : List.of(new KernelDump.Rule(0, false, "0:\tfrom all lookup local"),
                  new KernelDump.Rule(32766, false, "32766:\tfrom all lookup main"));
        List<KernelDump.NftObject> nft = List.of(
                new KernelDump.NftObject("set", "mwan4_connected_" + f.id(), "set mwan4_connected_" + f.id() + " {\n\ttype "
                        + (v4 ? "ipv4_addr" : "ipv6_addr") + "\n\tflags interval\n\telements = { " + (v4 ? "192.0.2.0/26" : "2001:db8:1::/64")
                        + " }\n}"),
                new KernelDump.NftObject("chain", "mwan4_rules_" + f.id(), "chain mwan4_rules_" + f.id()
                        + " {\n\tmeta mark & 0x00003f00 == 0x00000000 tcp dport 443 counter packets 1234 bytes 567890 jump mwan4_strategy_balanced_"
                        + f.id() + " comment \"https\"\n}"));
        return new KernelDump(f.id(), links, tables, rules, nft);
    }
}
