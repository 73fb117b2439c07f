package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;

/** The fewest ops for the changes that happen all day; {@link DiffPropertyTest} covers correctness in general. */
class DiffTest {

    static List<String> summaries(List<Op> ops) {
        return ops.stream().map(NftRender::summary).toList();
    }

    @Test
    void aTrackerFlipRewritesOnlyTheStrategyChains() {
        State s = TestStates.scenario("two-wans-3to1");
        List<Op> ops = Diff.diff(Planner.plan(s), Planner.plan(TestStates.withStatus(s, "wanb", Family.IPV4, TrackerStatus.OFFLINE)));
        assertThat(summaries(ops)).containsExactly("replace chain mwan4_strategy_balanced_ipv4 (1 rules)");
    }

    @Test
    void aStickyStrategyFlipAlsoRewritesTheStickyChainAndForgetsTheSourcesOfTheWanThatWentOffline() {
        State s = TestStates.scenario("sticky");
        List<Op> ops = Diff.diff(Planner.plan(s), Planner.plan(TestStates.withStatus(s, "wan", Family.IPV4, TrackerStatus.OFFLINE)));
        assertThat(summaries(ops)).containsExactlyInAnyOrder("replace chain mwan4_strategy_balanced_ipv4 (1 rules)",
                "replace chain mwan4_rule_https_ipv4 (3 rules)", "delete set mwan4_rule_ipv4_https_1");
        assertThat(summaries(ops).getLast()).as("the set goes after the chain that used it").isEqualTo("delete set mwan4_rule_ipv4_https_1");
    }

    @Test
    void aNewConnectedRouteIsOneElementAndOneRoutePerTable() {
        State s = TestStates.scenario("single-wan");
        List<RouteFact> routes = new java.util.ArrayList<>(s.routes());
        routes.add(TestStates.routeFact(RouteFact.TABLE_MAIN, "203.0.113.0/24", "192.0.2.1", 3, 0, "unicast", 4, 0, null, null));
        List<Op> ops = Diff.diff(Planner.plan(s), Planner.plan(TestStates.withRoutes(s, routes)));
        assertThat(summaries(ops)).containsExactly("ip -4 route add 203.0.113.0/24 via 192.0.2.1 dev eth0 proto 4 table 1",
                "add element mwan4_connected_ipv4 { 203.0.113.0/24 }");
    }

    @Test
    void aCoveringRouteReplacesTheElementsItCovers() {
        State s = TestStates.scenario("single-wan");
        List<RouteFact> routes = new java.util.ArrayList<>(s.routes());
        routes.add(TestStates.routeFact(RouteFact.TABLE_MAIN, "192.0.2.0/24", null, 3, 0, "unicast", 4, 253, null, null));
        List<Op> ops = Diff.diff(Planner.plan(s), Planner.plan(TestStates.withRoutes(s, routes)));
        List<Op> nft = ops.stream().filter(o -> o instanceof Op.AddElements || o instanceof Op.DeleteElements).toList();
        assertThat(summaries(nft)).containsExactly("delete element mwan4_connected_ipv4 { 192.0.2.0/26 }",
                "add element mwan4_connected_ipv4 { 192.0.2.0/24 }");
    }

    @Test
    void removingAStickyRuleDropsJumpBeforeChainBeforeSet() {
        State sticky = TestStates.scenario("sticky");
        State plain = TestStates.withConfig(sticky, TestStates.config(TestStates.scenarioText("sticky").replace("option sticky '1'", "option sticky '0'")));
        List<Op> ops = Diff.diff(Planner.plan(sticky), Planner.plan(plain));
        assertThat(summaries(ops).subList(0, 1)).containsExactly("replace chain mwan4_rules_ipv4 (3 rules)");
        assertThat(summaries(ops).subList(1, 3)).containsExactlyInAnyOrder("delete chain mwan4_rule_bank_ipv4", "delete chain mwan4_rule_https_ipv4");
        assertThat(summaries(ops).subList(3, 6)).containsExactlyInAnyOrder("delete set mwan4_rule_ipv4_bank_2",
                "delete set mwan4_rule_ipv4_https_1", "delete set mwan4_rule_ipv4_https_2");
        assertThat(ops).hasSize(6);
    }

    @Test
    void aChangedStickyTimeoutRecreatesTheSetAroundItsUsers() {
        State sticky = TestStates.scenario("sticky");
        State longer = TestStates.withConfig(sticky, TestStates.config(TestStates.scenarioText("sticky").replace("'300'", "'900'")));
        List<Op> ops = Diff.diff(Planner.plan(sticky), Planner.plan(longer));
        assertThat(summaries(ops)).containsExactly("replace chain mwan4_rule_https_ipv4 (0 rules)",
                "delete set mwan4_rule_ipv4_https_1", "add set mwan4_rule_ipv4_https_1",
                "delete set mwan4_rule_ipv4_https_2", "add set mwan4_rule_ipv4_https_2", "replace chain mwan4_rule_https_ipv4 (5 rules)");
    }

    @Test
    void identicalDesiredsNeedNothing() {
        for (String scenario : TestStates.SCENARIOS) {
            Desired d = Planner.plan(TestStates.scenario(scenario));
            Desired copy = new Desired(new java.util.TreeMap<>(d.sets()), new java.util.TreeMap<>(d.chains()),
                    new TreeSet<>(d.ipRules()), new TreeSet<>(d.routes()));
            assertThat(Diff.diff(d, copy)).as(scenario).isEmpty();
        }
    }
}
