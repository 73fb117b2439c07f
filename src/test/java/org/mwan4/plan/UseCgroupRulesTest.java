package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.core.State;
import org.mwan4.core.UseCgroups;

/** The {@code mwan4 use} rules of {@code mwan4_output}: where they go, which interfaces get one, what they say. */
class UseCgroupRulesTest {
    static final String WAN = "meta mark & 0x00003f00 == 0x00000000 socket cgroupv2 level 2 \"unified/mwan4/wan\""
            + " meta mark set meta mark & 0xffffc1ff | 0x00000100";
    static final String WANB = "meta mark & 0x00003f00 == 0x00000000 socket cgroupv2 level 2 \"unified/mwan4/wanb\""
            + " meta mark set meta mark & 0xffffc2ff | 0x00000200";

    static UseCgroups ready(String... ifaces) {
        return new UseCgroups("/sys/fs/cgroup/unified/mwan4", "unified/mwan4", 2, new TreeSet<>(List.of(ifaces)), "");
    }

    static State twoWans(UseCgroups use) {
        return TestStates.scenario("two-wans-3to1").withUseCgroups(use);
    }

    static List<String> output(State s) {
        return Planner.plan(s).chains().get(NftText.OUTPUT).rules();
    }

    @Test
    void withoutCgroupsOutputAndPreroutingHaveTheSameRules() {
        Desired d = Planner.plan(twoWans(UseCgroups.NONE));
        assertThat(d.chains().get(NftText.OUTPUT).rules()).isEqualTo(d.chains().get(NftText.PREROUTING).rules());
    }

    @Test
    void oneRulePerInterfaceRightAfterTheRestoresInOutputOnly() {
        Desired plain = Planner.plan(twoWans(UseCgroups.NONE));
        Desired d = Planner.plan(twoWans(ready("wan", "wanb")));
        List<String> before = plain.chains().get(NftText.OUTPUT).rules();
        // ND return, then one restore per mark handed out (wan, wanb, default, unreachable, blackhole)
        List<String> expected = new ArrayList<>(before.subList(0, 6));
        expected.add(WAN);
        expected.add(WANB);
        expected.addAll(before.subList(6, before.size()));
        assertThat(d.chains().get(NftText.OUTPUT).rules()).isEqualTo(expected);
        assertThat(expected.get(5)).contains("ct mark").contains("0x00003d00"); // the last restore
        assertThat(expected.get(8)).contains("jump " + NftText.IFACES_IN);
        assertThat(d.chains().get(NftText.PREROUTING)).isEqualTo(plain.chains().get(NftText.PREROUTING));
        // the marks they set are saved to the connection by the hook chain's save rules, like any other
        assertThat(expected).anyMatch(r -> r.startsWith("meta mark & 0x00003f00 == 0x00000200 ct mark"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "both ready|wan wanb||wan wanb",
            "only wanb's directory exists|wanb||wanb",
            "an interface the config lacks|wan wan9||wan",
            "a problem disables all|wan wanb|cgroup2 is not mounted|",
            "none ready|||"})
    void whichInterfacesGetARule(String name, String readyIfaces, String problem, String expected) {
        List<String> ifaces = readyIfaces == null ? List.of() : List.of(readyIfaces.split(" "));
        UseCgroups use = new UseCgroups("/sys/fs/cgroup/unified/mwan4", "unified/mwan4", 2, new TreeSet<>(ifaces),
                problem == null ? "" : problem);
        List<String> got = output(twoWans(use)).stream().filter(r -> r.contains("socket cgroupv2"))
                .map(r -> r.replaceAll(".*\"unified/mwan4/([a-z0-9]+)\".*", "$1")).toList();
        assertThat(got).isEqualTo(expected == null ? List.of() : List.of(expected.split(" ")));
    }

    @Test
    void aDisabledInterfaceGetsNoRule() {
        State s = TestStates.withConfig(TestStates.scenario("two-wans-3to1"), TestStates.config(
                TestStates.scenarioText("two-wans-3to1").replace("option enabled '1'\n\toption device 'eth1'",
                        "option enabled '0'\n\toption device 'eth1'"))).withUseCgroups(ready("wan", "wanb"));
        assertThat(output(s)).contains(WAN).doesNotContain(WANB);
    }

    @Test
    void rulesetFilesLeaveThemOutSoFw4CanLoadThemWithoutTheCgroups() {
        Desired d = Planner.plan(twoWans(ready("wan", "wanb")));
        assertThat(RulesetFiles.render(d, TestTemplates.load()))
                .isEqualTo(RulesetFiles.render(Planner.plan(twoWans(UseCgroups.NONE)), TestTemplates.load()));
    }

    @Test
    void theMemoPlansAgainWhenOnlyTheCgroupsChange() {
        PlanMemo memo = new PlanMemo();
        State plain = twoWans(UseCgroups.NONE);
        assertThat(memo.plan(plain)).isEqualTo(Planner.plan(plain));
        State use = plain.withUseCgroups(ready("wanb"));
        assertThat(memo.plan(use)).isEqualTo(Planner.plan(use));
        assertThat(memo.plan(use).chains().get(NftText.OUTPUT).rules()).contains(WANB);
    }

    @Test
    void aReplanOfTheSameStateDiffsToNothingAndACgroupChangeRewritesOnlyTheOutputChain() {
        Desired a = Planner.plan(twoWans(ready("wan")));
        Desired b = Planner.plan(twoWans(ready("wan", "wanb")));
        assertThat(Diff.diff(a, Planner.plan(twoWans(ready("wan"))))).isEmpty();
        assertThat(Diff.diff(a, b)).extracting(Object::toString).allMatch(op -> op.contains(NftText.OUTPUT));
    }
}
