package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.Op;
import org.mwan4.testing.TestNetns;

/** Applies ip rules and routes through rtnetlink in a fresh namespace and checks them with the kernel and with {@code ip}. */
@Tag("kernel")
class RtnetlinkClientKernelTest {
    private static final IpRule.Action LOOKUP = IpRule.Action.LOOKUP;

    private TestNetns ns;
    private NetnsThread thread;
    private RtnetlinkClient client;

    @BeforeEach
    void setUp() {
        ns = TestNetns.create("rtclient");
        ns.exec("ip", "link", "add", "wana", "type", "veth", "peer", "name", "wanb");
        ns.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "wana");
        ns.exec("ip", "addr", "add", "2001:db8::1/64", "dev", "wana", "nodad");
        ns.exec("ip", "link", "set", "wana", "up");
        ns.exec("ip", "link", "set", "wanb", "up");
        thread = NetnsThread.enter(ns.name());
        client = RtnetlinkClient.open(thread);
    }

    @AfterEach
    void tearDown() {
        if (client != null) client.close();
        if (thread != null) thread.close();
        if (ns != null) ns.close();
    }

    static List<IpRule> rules() {
        return List.of(
                new IpRule(Family.IPV4, 1001, "wana", 0, 0, LOOKUP, 1),
                new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, LOOKUP, 1),
                new IpRule(Family.IPV4, 2002, "", 0x200, 0x3f00, LOOKUP, 1000),
                new IpRule(Family.IPV4, 2061, "", 0x3d00, 0x3f00, IpRule.Action.BLACKHOLE, 0),
                new IpRule(Family.IPV4, 2062, "", 0x3e00, 0x3f00, IpRule.Action.UNREACHABLE, 0),
                new IpRule(Family.IPV4, 3001, "", 0x100, 0x3f00, IpRule.Action.UNREACHABLE, 0),
                new IpRule(Family.IPV6, 1001, "wana", 0, 0, LOOKUP, 1),
                new IpRule(Family.IPV6, 2001, "", 0x100, 0x3f00, LOOKUP, 1),
                new IpRule(Family.IPV6, 3001, "", 0x100, 0x3f00, IpRule.Action.UNREACHABLE, 0));
    }

    static List<IpRoute> routes() {
        return List.of(
                route(1, "0.0.0.0/0", "unicast", "192.0.2.254", "wana", 10, null, 4, 0),
                route(1, "192.0.2.0/24", "unicast", null, "wana", 0, "192.0.2.1", 2, 253),
                route(2, "0.0.0.0/0", "unreachable", null, "", 0, null, 4, 0),
                route(1000, "198.51.100.0/24", "blackhole", null, "", 7, null, 4, 0),
                route(1000, "203.0.113.0/24", "unreachable", null, "", 0, null, 0, 0),
                route(1, "::/0", "unicast", "2001:db8::fe", "wana", 1024, null, 4, 0),
                route(1, "2001:db8::/64", "unicast", null, "wana", 256, null, 2, 253),
                route(2, "::/0", "unreachable", null, "", 1024, null, 4, 0),
                route(1000, "2001:db8:5::/48", "prohibit", null, "", 0, null, 0, 0));
    }

    static IpRoute route(int table, String dst, String type, String via, String dev, int metric, String src, int proto, int scope) {
        return new IpRoute(table, Cidr.parse(dst).orElseThrow(), type, via == null ? null : IpAddress.parse(via).orElseThrow(),
                dev, metric, null, src == null ? null : IpAddress.parse(src).orElseThrow(), proto, scope);
    }

    private void applyAll() {
        List<Op> ops = new ArrayList<>();
        rules().forEach(r -> ops.add(new Op.AddIpRule(r)));
        routes().forEach(r -> ops.add(new Op.AddRoute(r)));
        client.apply(ops);
    }

    @Test
    void appliedRulesAndRoutesReadBackEqual() {
        applyAll();

        assertThat(client.ourRules()).containsExactlyElementsOf(rules().stream().sorted().toList());
        assertThat(client.routes(Set.of(1, 2, 1000)))
                .containsExactlyInAnyOrderElementsOf(routes().stream().map(PlanMessages::asKernelKeeps).toList());
    }

    @Test
    void ipShowsExactlyTheAppliedRulesAndRoutes() {
        applyAll();

        assertThat(ourLines(ns.exec("ip", "rule", "show"))).containsExactly(
                "1001:\tfrom all iif wana lookup 1",
                "2001:\tfrom all fwmark 0x100/0x3f00 lookup 1",
                "2002:\tfrom all fwmark 0x200/0x3f00 lookup 1000",
                "2061:\tfrom all fwmark 0x3d00/0x3f00 blackhole",
                "2062:\tfrom all fwmark 0x3e00/0x3f00 unreachable",
                "3001:\tfrom all fwmark 0x100/0x3f00 unreachable");
        assertThat(ourLines(ns.exec("ip", "-6", "rule", "show"))).containsExactly(
                "1001:\tfrom all iif wana lookup 1",
                "2001:\tfrom all fwmark 0x100/0x3f00 lookup 1",
                "3001:\tfrom all fwmark 0x100/0x3f00 unreachable");
        assertThat(lines(ns.exec("ip", "route", "show", "table", "1"))).containsExactly(
                "default via 192.0.2.254 dev wana proto static metric 10",
                "192.0.2.0/24 dev wana proto kernel scope link src 192.0.2.1");
        assertThat(lines(ns.exec("ip", "route", "show", "table", "2"))).containsExactly("unreachable default proto static");
        assertThat(lines(ns.exec("ip", "route", "show", "table", "1000"))).containsExactly(
                "blackhole 198.51.100.0/24 proto static metric 7", "unreachable 203.0.113.0/24 proto unspec");
        assertThat(lines(ns.exec("ip", "-6", "route", "show", "table", "1"))).containsExactly(
                "2001:db8::/64 dev wana proto kernel metric 256 pref medium",
                "default via 2001:db8::fe dev wana proto static metric 1024 pref medium");
        assertThat(lines(ns.exec("ip", "-6", "route", "show", "table", "2"))).containsExactly(
                "unreachable default dev lo proto static metric 1024 pref medium");
        assertThat(lines(ns.exec("ip", "-6", "route", "show", "table", "1000"))).containsExactly(
                "prohibit 2001:db8:5::/48 dev lo metric 1024 pref medium");
    }

    @Test
    void deletingRemovesExactlyWhatWasApplied() {
        applyAll();
        List<Op> ops = new ArrayList<>();
        rules().forEach(r -> ops.add(new Op.DeleteIpRule(r)));
        routes().forEach(r -> ops.add(new Op.DeleteRoute(r)));
        client.apply(ops);

        assertThat(client.ourRules()).isEmpty();
        assertThat(client.routes(Set.of(1, 2, 1000))).isEmpty();
        assertThat(ourLines(ns.exec("ip", "rule", "show"))).isEmpty();
        assertThat(lines(ns.exec("ip", "rule", "show"))).containsExactly(
                "0:\tfrom all lookup local", "32766:\tfrom all lookup main", "32767:\tfrom all lookup default");
    }

    @Test
    void duplicateRuleNamesTheOpAndItsIpCommand() {
        IpRule r = new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, LOOKUP, 1);
        client.apply(List.of(new Op.AddIpRule(r)));

        assertThatThrownBy(() -> client.apply(List.of(new Op.AddIpRule(r))))
                .isInstanceOf(RtnetlinkOpException.class)
                .hasMessage("ip rule add pref 2001 fwmark 0x100/0x3f00 lookup 1: File exists (errno 17)");
    }

    @Test
    void inABatchOnlyTheRefusedOpsFailAndTheRestAreApplied() {
        IpRule dup = new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, LOOKUP, 1);
        client.apply(List.of(new Op.AddIpRule(dup)));
        IpRoute offLink = route(3, "0.0.0.0/0", "unicast", "203.0.113.1", "wana", 0, null, 4, 0);
        IpRoute noDevice = route(3, "198.51.100.0/24", "unicast", null, "wan9", 0, null, 4, 253);
        IpRule fine = new IpRule(Family.IPV4, 2003, "", 0x300, 0x3f00, LOOKUP, 3);
        IpRule missing = new IpRule(Family.IPV6, 2009, "", 0x900, 0x3f00, LOOKUP, 9);

        assertThatThrownBy(() -> client.apply(List.of(new Op.AddIpRule(dup), new Op.AddRoute(offLink),
                new Op.AddRoute(noDevice), new Op.AddIpRule(fine), new Op.DeleteIpRule(missing))))
                .isInstanceOfSatisfying(RtnetlinkOpException.class, e -> {
                    assertThat(e.failures()).extracting(f -> f.errno()).containsExactlyInAnyOrder(17, 101, 19, 2);
                    assertThat(e.getMessage())
                            .contains("ip rule add pref 2001 fwmark 0x100/0x3f00 lookup 1: File exists (errno 17)")
                            .contains("ip route add default via 203.0.113.1 dev wana proto 4 table 3: Network is unreachable (errno 101)")
                            .contains("ip route add 198.51.100.0/24 dev wan9 proto 4 scope 253 table 3: No such device (errno 19) [device wan9 not found; op not sent]")
                            .contains("ip -6 rule del pref 2009 fwmark 0x900/0x3f00 lookup 9: No such file or directory (errno 2)")
                            .contains("4 of 5 ops failed; the other 1 were applied");
                });
        assertThat(client.ourRules()).containsExactly(dup, fine);
    }

    @Test
    void nftOpsAreRefusedBeforeAnythingIsSent() {
        IpRule r = new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, LOOKUP, 1);
        assertThatThrownBy(() -> client.apply(List.of(new Op.AddIpRule(r), new Op.DeleteChain("mwan4_x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DeleteChain");
        assertThat(client.ourRules()).isEmpty();
    }

    @Test
    void linkLookup() {
        assertThat(client.linkIndex("wana")).isPresent();
        assertThat(client.linkIndex("nope0")).isEmpty();
        assertThat(client.linkNames()).containsValues("lo", "wana", "wanb");
    }

    private static List<String> lines(String out) {
        return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> ourLines(String out) {
        return Arrays.stream(out.split("\n")).map(String::stripTrailing).filter(s -> !s.isEmpty())
                .filter(s -> {
                    int pref = Integer.parseInt(s.substring(0, s.indexOf(':')));
                    return pref >= 1000 && pref <= 3999;
                }).toList();
    }
}
