package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Family;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;

/** What the planner decides, one behaviour per test; the golden scenarios show whole rulesets. */
class PlannerTest {
    /** Two WANs (eth0, eth1) with the given route weights/metrics in strategy 's' and one rule using it. */
    static String twoWans(String routes, String extra) {
        return """
                config interface 'wan'
                	option enabled '1'
                	option device 'eth0'
                config interface 'wanb'
                	option enabled '1'
                	option device 'eth1'
                config interface 'lte'
                	option enabled '1'
                	option device 'wwan0'
                """ + routes + """
                config rule 'all'
                	option use_strategy 's'
                """ + extra;
    }

    static State facts(String config, String statuses) {
        return TestStates.state(TestStates.config(config), """
                link 1 lo
                link 3 eth0
                link 4 eth1
                link 5 wwan0
                """ + statuses);
    }

    static List<String> strategy(State s, Family f) {
        return Planner.plan(s).chains().get(NftText.strategyChain("s", f)).rules();
    }

    static String routes(String... weightsAndMetrics) {
        StringBuilder sb = new StringBuilder();
        StringBuilder use = new StringBuilder("config strategy 's'\n");
        String[] ifaces = {"wan", "wanb", "lte"};
        for (int i = 0; i < weightsAndMetrics.length; i++) {
            String[] wm = weightsAndMetrics[i].split("@");
            sb.append("config route 'r").append(i).append("'\n\toption interface '").append(ifaces[i]).append("'\n\toption weight '")
                    .append(wm[0]).append("'\n\toption metric '").append(wm.length > 1 ? wm[1] : "1").append("'\n");
            use.append("\tlist use_route 'r").append(i).append("'\n");
        }
        return sb.toString() + use;
    }

    @ParameterizedTest(name = "weights {0}")
    @CsvSource(delimiter = '|', value = {
        "3 1   | numgen random mod 4 0-2 ~ wan 3 4 | ~ wanb 1 4 |",
        "1 1 1 | numgen random mod 3 0 ~ wan 1 3   | numgen random mod 2 0 ~ wanb 1 3 | ~ lte 1 3",
        "2 2   | numgen random mod 4 0-1 ~ wan 2 4 | ~ wanb 2 4 |",
        "1 3 2 | numgen random mod 6 0 ~ wan 1 6   | numgen random mod 5 0-2 ~ wanb 3 6 | ~ lte 2 6",
        "5     | ~ wan 5 5 | |",
    })
    void weightsBecomeConditionalNumgenDraws(String weights, String first, String second, String third) {
        String[] w = weights.trim().split(" +");
        StringBuilder status = new StringBuilder();
        for (String i : List.of("wan", "wanb", "lte")) {
            status.append("status ").append(i).append(" ipv4 online\n");
        }
        List<String> rules = strategy(facts(twoWans(routes(w), ""), status.toString()), Family.IPV4);
        List<String> expected = java.util.stream.Stream.of(first, second, third).filter(x -> x != null && !x.isBlank()).toList();
        assertThat(rules).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] parts = expected.get(i).split("~");
            String draw = parts[0].strip();
            assertThat(rules.get(i)).startsWith("meta mark & 0x00003f00 == 0x00000000 " + (draw.isEmpty() ? "meta mark set" : draw + " meta mark set"))
                    .endsWith("comment \"" + parts[1].strip() + "\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "all online: metric 1 shares                 | online  | online  | online  | wan 1 2,wanb 1 2",
        "wan offline: wanb alone in metric 1         | offline | online  | online  | wanb 1 1",
        "disconnecting still carries traffic         | disconnecting | offline | online | wan 1 1",
        "connecting does not yet                     | connecting | offline | online | lte 1 1",
        "metric 1 gone: metric 2 takes over          | offline | unknown | online  | lte 1 1",
        "nothing online: out rules then last resort  | offline | offline | disabled | out wan eth0,out wanb eth1,out lte wwan0,unreachable",
    })
    void lowestOnlineMetricWins(String name, String wan, String wanb, String lte, String comments) {
        State s = facts(twoWans(routes("1@1", "1@1", "1@2"), ""),
                "status wan ipv4 " + wan + "\nstatus wanb ipv4 " + wanb + "\nstatus lte ipv4 " + lte + "\n");
        assertThat(strategy(s, Family.IPV4)).extracting(PlannerTest::comment).containsExactly(comments.strip().split(","));
    }

    @Test
    void outRulesOnlyForDevicesThatExist() {
        State s = TestStates.state(TestStates.config(twoWans(routes("1", "1", "1"), "")), "link 3 eth0\n");
        assertThat(strategy(s, Family.IPV4)).extracting(PlannerTest::comment).containsExactly("out wan eth0", "unreachable");
    }

    @Test
    void operatorDownInterfaceDisappearsEverywhereButTheHookChains() {
        State s = facts(twoWans(routes("1", "1"), ""), "status wan ipv4 online\nstatus wanb ipv4 online\n"
                + "addr 3 192.0.2.2/26\nroute -4 main default via 192.0.2.1 dev eth0\nroute -4 main 192.0.2.0/26 dev eth0 scope 253\n");
        Desired up = Planner.plan(s);
        Desired down = Planner.plan(TestStates.withOperatorDown(s, "wan"));
        assertThat(down.chains()).doesNotContainKey("mwan4_iface_in_wan_ipv4");
        assertThat(down.ipRules()).noneMatch(r -> r.priority() % 1000 == 1);
        assertThat(down.routes()).noneMatch(r -> r.table() == 1);
        assertThat(up.routes()).anyMatch(r -> r.table() == 1);
        assertThat(strategy(TestStates.withOperatorDown(s, "wan"), Family.IPV4)).extracting(PlannerTest::comment).containsExactly("wanb 1 1");
        assertThat(down.chains().get(NftText.PREROUTING)).isEqualTo(up.chains().get(NftText.PREROUTING));
    }

    @Test
    void ipv4OnlySetupWantsNoIpv6StrategiesRulesOrIpRules() {
        Desired d = Planner.plan(facts(twoWans(routes("1"), ""), "status wan ipv4 online\n"));
        assertThat(d.chains()).containsKey("mwan4_strategy_s_ipv4").doesNotContainKey("mwan4_strategy_s_ipv6");
        assertThat(d.chains().get("mwan4_rules_ipv6").rules()).isEmpty();
        assertThat(d.ipRules()).allMatch(r -> r.family() == Family.IPV4);
        assertThat(d.sets()).containsKeys("mwan4_connected_ipv6", "mwan4_custom_ipv6", "mwan4_dynamic_ipv6");
    }

    @Test
    void ipsetRuleWithoutFamilyIsIpv4OnlyAndWithFamilyFollowsIt() {
        String cfg = """
                config interface 'wan'
                	option enabled '1'
                	option device 'eth0'
                	list family 'ipv4'
                	list family 'ipv6'
                config route 'r'
                	option interface 'wan'
                config strategy 's'
                	list use_route 'r'
                config rule 'a'
                	option ipset 'set_a'
                	option use_strategy 's'
                config rule 'b'
                	option ipset 'set_b'
                	list family 'ipv6'
                	option use_strategy 's'
                """;
        Desired d = Planner.plan(facts(cfg, ""));
        assertThat(d.chains().get("mwan4_rules_ipv4").rules()).singleElement().asString().contains("ip daddr @set_a");
        assertThat(d.chains().get("mwan4_rules_ipv6").rules()).singleElement().asString().contains("ip6 daddr @set_b");
    }

    @Test
    void ruleWithSrcIfaceWithoutDeviceIsLeftOutNotWidened() {
        String cfg = twoWans(routes("1"), """
                config interface 'lan'
                	option enabled '0'
                config rule 'from_lan'
                	option src_iface 'lan'
                	option use_strategy 'blackhole'
                """);
        List<String> rules = Planner.plan(facts(cfg, "")).chains().get("mwan4_rules_ipv4").rules();
        assertThat(rules).extracting(PlannerTest::comment).containsExactly("all");
    }

    @Test
    void stickyChainReusesOnlyMarksOfTheInterfacesInUse() {
        String cfg = twoWans(routes("1", "1"), """
                config rule 'st'
                	option proto 'tcp'
                	option dest_port '443'
                	option use_strategy 's'
                	option sticky '1'
                	option timeout '90'
                """);
        State both = facts(cfg, "status wan ipv4 online\nstatus wanb ipv4 online\n");
        List<String> sticky = Planner.plan(both).chains().get("mwan4_rule_st_ipv4").rules();
        assertThat(sticky).containsExactly(
                "meta mark & 0x00003f00 == 0x00000000 ip saddr @mwan4_rule_ipv4_st_1 meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan\"",
                "meta mark & 0x00003f00 == 0x00000000 ip saddr @mwan4_rule_ipv4_st_2 meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb\"",
                "meta mark & 0x00003f00 == 0x00000000 jump mwan4_strategy_s_ipv4",
                "meta mark & 0x00003f00 == 0x00000100 update @mwan4_rule_ipv4_st_1 { ip saddr }",
                "meta mark & 0x00003f00 == 0x00000200 update @mwan4_rule_ipv4_st_2 { ip saddr }");
        assertThat(Planner.plan(both).sets().get("mwan4_rule_ipv4_st_1")).isEqualTo(
                new NftSet("mwan4_rule_ipv4_st_1", "ipv4_addr", false, 90, new java.util.TreeSet<>(), false));
        State wanbGone = TestStates.withStatus(both, "wanb", Family.IPV4, TrackerStatus.OFFLINE);
        assertThat(Planner.plan(wanbGone).chains().get("mwan4_rule_st_ipv4").rules()).hasSize(3).noneMatch(r -> r.contains("0x00000200"));
        assertThat(Planner.plan(wanbGone).sets()).as("wanb's sources are forgotten: back online, it starts empty")
                .containsKey("mwan4_rule_ipv4_st_1").doesNotContainKey("mwan4_rule_ipv4_st_2");
        State none = TestStates.withStatus(wanbGone, "wan", Family.IPV4, TrackerStatus.OFFLINE);
        assertThat(Planner.plan(none).chains().get("mwan4_rule_st_ipv4").rules()).containsExactly(
                "meta mark & 0x00003f00 == 0x00000000 jump mwan4_strategy_s_ipv4");
    }

    @Test
    void connectedSetsHoldNetworksWithoutOverlapPlusMulticast() {
        State s = facts(twoWans(routes("1"), ""), """
                route -4 main 192.0.2.5/26 dev eth0 scope 253
                route -4 main 192.0.2.0/24 dev eth1 scope 253
                route -4 main default via 192.0.2.1 dev eth0
                route -4 main unreachable 198.51.100.0/24
                route -4 local local 203.0.113.7 dev eth0
                route -4 local broadcast 203.0.113.255 dev eth0
                route -6 main 2001:db8:1::/64 dev eth0
                route -6 local local 2001:db8:1::2 dev eth0
                """);
        Desired d = Planner.plan(s);
        assertThat(d.sets().get("mwan4_connected_ipv4").elements()).extracting(Object::toString)
                .containsExactly("192.0.2.0/24", "203.0.113.7", "224.0.0.0/3");
        assertThat(d.sets().get("mwan4_connected_ipv6").elements()).extracting(Object::toString)
                .containsExactly("2001:db8:1::/64", "ff00::/8");
        assertThat(d.sets().get("mwan4_dynamic_ipv4").managedElements()).isFalse();
    }

    @Test
    void interfaceTablesCopyMainAsMwan3Does() {
        String cfg = """
                config globals 'globals'
                	option source_routing '%s'
                config interface 'wan'
                	option enabled '1'
                	option device 'eth0'
                	list family 'ipv6'
                config interface 'wanb'
                	option enabled '1'
                	option device 'eth1'
                	list family 'ipv6'
                """;
        String facts = """
                link 3 eth0
                link 4 eth1
                route -6 main default from 2001:db8:1::/64 via fe80::1 dev eth0 metric 512
                route -6 main default from 2001:db8:2::/64 via fe80::2 dev eth1 metric 512
                route -6 main 2001:db8:2::/64 dev eth1 metric 256
                route -6 main fe80::/64 dev eth0 metric 256
                route -6 main fe80::/64 dev eth1 metric 256
                """;
        Desired stripped = Planner.plan(TestStates.state(TestStates.config(cfg.formatted("0")), facts));
        assertThat(stripped.routes().stream().filter(r -> r.table() == 1).map(IpRoute::toString)).containsExactlyInAnyOrder(
                "2001:db8:2::/64 dev eth1 proto 3 metric 256 table 1",
                "default via fe80::1 dev eth0 proto 3 metric 512 table 1",
                "fe80::/64 dev eth0 proto 3 metric 256 table 1");
        Desired kept = Planner.plan(TestStates.state(TestStates.config(cfg.formatted("1")), facts));
        assertThat(kept.routes().stream().filter(r -> r.table() == 2).map(IpRoute::toString)).containsExactlyInAnyOrder(
                "2001:db8:2::/64 dev eth1 proto 3 metric 256 table 2",
                "default from 2001:db8:2::/64 via fe80::2 dev eth1 proto 3 metric 512 table 2",
                "fe80::/64 dev eth1 proto 3 metric 256 table 2");
    }

    @Test
    void ipRulePrioritiesFollowTheMask() {
        String cfg = "config globals 'globals'\n\toption mmx_mask '0xFF00'\n" + twoWans(routes("1"), "");
        Desired d = Planner.plan(facts(cfg, ""));
        assertThat(d.ipRules()).extracting(IpRule::toString).contains(
                "pref 1001 iif eth0 lookup 1", "pref 2001 fwmark 0x100/0xff00 lookup 1", "pref 3001 fwmark 0x100/0xff00 unreachable",
                "pref 2253 fwmark 0xfd00/0xff00 blackhole", "pref 2254 fwmark 0xfe00/0xff00 unreachable");
    }

    @Test
    void noConfigMeansNothingWanted() {
        assertThat(Planner.plan(TestStates.withConfig(facts(twoWans(routes("1"), ""), ""), null))).isEqualTo(Desired.empty());
    }

    @Test
    void hostileNamesStayInertText() {
        Desired d = Planner.plan(Hostile.state());
        for (NftChain c : d.chains().values()) {
            assertThat(c.name()).matches("mwan4_[A-Za-z0-9_]+");
            for (String rule : c.rules()) {
                String outside = rule.replaceAll("\"[^\"]*\"", "\"\"");
                assertThat(outside).as(rule).doesNotContain(";", "\\");
                assertThat(outside.split(" ")).as(rule).doesNotContain("flush", "drop", "accept", "ruleset");
                assertThat(rule.chars().filter(ch -> ch == '"').count() % 2).as(rule).isZero();
            }
        }
        assertThat(d.sets().keySet()).allMatch(n -> n.matches("mwan4_[A-Za-z0-9_]+"));
        assertThat(d.chains().get("mwan4_rules_ipv4").rules()).as("the rule with an unusable ipset is left out")
                .noneMatch(r -> r.contains("@"));
        assertThat(d.ipRules()).extracting(IpRule::iif).doesNotContain("eth1\"x");
    }

    static String comment(String rule) {
        int at = rule.lastIndexOf("comment \"");
        return at < 0 ? "" : rule.substring(at + 9, rule.length() - 1);
    }
}
