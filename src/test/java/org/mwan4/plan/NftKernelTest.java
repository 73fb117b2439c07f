package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.config.Rule;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;
import org.mwan4.testing.TestNetns;

/**
 * The planner's output against a real kernel, in a throwaway network namespace with veth links named like the
 * scenario's devices: {@code nft add table inet fw4} (as fw4 would have), the four files loaded with
 * {@code nft -f} in order, then every mwan4 set and chain listed back must equal the plan; loading the files
 * again must change nothing; ip-rules.txt and routes.txt must run. Then the NftScript of every step of a diff
 * sequence is loaded and the table listed back again. Skipped (by TestNetns) when not root.
 */
@Tag("kernel")
class NftKernelTest {

    static Stream<String> scenarios() {
        return TestStates.SCENARIOS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void goldenFilesLoadAndListBackAsPlanned(String scenario) {
        State state = TestStates.scenario(scenario);
        Desired want = Planner.plan(state);
        Map<String, String> files = RulesetFiles.render(want, TestTemplates.load());
        try (TestNetns ns = TestNetns.create("plan")) {
            prepare(ns, state);
            for (String f : NftTemplates.FILES) {
                ns.nft(files.get(f));
            }
            assertListedAs(ns, want);
            for (String f : NftTemplates.FILES) {
                ns.nft(files.get(f));
            }
            assertListedAs(ns, want);

            runLines(ns, files.get(RulesetFiles.IP_RULES));
            runLines(ns, files.get(RulesetFiles.ROUTES));
            for (Family f : Family.values()) {
                String flag = f == Family.IPV4 ? "-4" : "-6";
                long ours = ns.exec("ip", flag, "rule", "show").lines()
                        .filter(l -> l.matches("^[123]\\d\\d\\d:.*")).count();
                assertThat(ours).as("%s ip rules with pref 1000-3999", f).isEqualTo(want.ipRules().stream().filter(r -> r.family() == f).count());
            }
            long routes = want.routes().size();
            long listed = 0;
            for (int table : want.routes().stream().mapToInt(IpRoute::table).distinct().toArray()) {
                for (String flag : List.of("-4", "-6")) {
                    TestNetns.Result r = ns.tryExec("ip", flag, "route", "show", "table", Integer.toString(table));
                    listed += r.code() == 0 ? r.output().lines().count() : 0;
                }
            }
            assertThat(listed).as("routes in our tables").isEqualTo(routes);
        }
    }

    @Test
    void hostileConfigValuesLoadAsInertText() {
        Desired want = Planner.plan(Hostile.state());
        Map<String, String> files = RulesetFiles.render(want, TestTemplates.load());
        try (TestNetns ns = TestNetns.create("hostile")) {
            ns.exec("nft", "add", "table", "inet", "fw4");
            for (String f : NftTemplates.FILES) {
                ns.nft(files.get(f));
            }
            assertListedAs(ns, want);
            assertThat(ns.exec("nft", "list", "tables")).contains("inet fw4");
        }
    }

    @Test
    void everyStepOfADiffSequenceLoadsAsOneTransaction() {
        State s0 = TestStates.scenario("two-wans-3to1");
        State dual = TestStates.scenario("dual-stack");
        List<State> steps = new ArrayList<>();
        steps.add(s0);
        steps.add(TestStates.withStatus(s0, "wan", Family.IPV4, TrackerStatus.OFFLINE));
        State allDown = TestStates.withStatus(steps.getLast(), "wanb", Family.IPV4, TrackerStatus.OFFLINE);
        steps.add(allDown);
        steps.add(TestStates.withConfig(allDown, TestStates.scenarioConfig("sticky")));
        steps.add(TestStates.withStatus(TestStates.withStatus(steps.getLast(), "wan", Family.IPV4, TrackerStatus.ONLINE),
                "wanb", Family.IPV4, TrackerStatus.ONLINE));
        steps.add(TestStates.withConfig(steps.getLast(), stickyTimeoutChanged()));
        steps.add(TestStates.withOperatorDown(steps.getLast(), "wanb"));
        steps.add(TestStates.withRoutes(steps.getLast(), steps.getLast().routes().stream()
                .filter(r -> !r.destination().toString().equals("198.51.100.0/24")).toList()));
        steps.add(dual);
        steps.add(TestStates.withStatus(dual, "wanb", Family.IPV6, TrackerStatus.ONLINE));
        steps.add(TestStates.scenario("mask-ff00"));
        steps.add(TestStates.scenario("rule-matches"));
        try (TestNetns ns = TestNetns.create("diff")) {
            prepare(ns, dual);
            ns.exec("nft", "add", "table", "inet", "fw4");
            ns.exec("nft", "add", "set", "inet", "fw4", "vpn_dst", "{ type ipv4_addr; }");
            Desired have = Desired.empty();
            for (State step : steps) {
                Desired want = Planner.plan(step);
                List<Op> ops = Diff.diff(have, want);
                NftScript script = NftRender.script(ops);
                if (!script.isEmpty()) {
                    ns.nft(script.text());
                }
                for (Op op : ops) {
                    String cmd = switch (op) {
                        case Op.AddIpRule a -> IpRender.rule("add", a.rule());
                        case Op.DeleteIpRule d -> IpRender.rule("del", d.rule());
                        case Op.AddRoute a -> IpRender.route("add", a.route());
                        case Op.DeleteRoute d -> IpRender.route("del", d.route());
                        default -> null;
                    };
                    if (cmd != null) {
                        ns.exec(cmd.split(" "));
                    }
                }
                assertListedAs(ns, want);
                // the kernel helper's contract: what it reads back diffs empty against the plan (nft side; it reads
                // ip rules and routes over rtnetlink)
                assertThat(Diff.diff(readBack(ns, want), want)).as("diff(read back, plan)")
                        .allMatch(op -> NftRender.lines(op).isEmpty());
                have = want;
            }
            List<Op> down = Diff.diff(have, Desired.empty());
            ns.nft(NftRender.script(down).text());
            assertThat(KernelReadBack.parse(ns.exec("nft", "list", "table", "inet", "fw4"))).isEqualTo(Desired.empty());
        }
    }

    /** The sticky scenario with other timeouts: the sticky sets must be re-created (their chains flushed first). */
    private static org.mwan4.config.Config stickyTimeoutChanged() {
        return TestStates.config(TestStates.scenarioText("sticky").replace("'300'", "'360'").replace("'3600'", "'7200'"));
    }

    /** veth links named like the facts' devices, with their addresses, and the table fw4 would have made. */
    static void prepare(TestNetns ns, State state) {
        for (State.Link l : state.links().values()) {
            if (l.name().equals("lo")) {
                continue;
            }
            ns.exec("ip", "link", "add", l.name(), "type", "veth", "peer", "name", l.name() + "-p");
            ns.exec("ip", "link", "set", l.name() + "-p", "up");
            ns.exec("ip", "link", "set", l.name(), "up");
        }
        state.addresses().forEach((idx, addrs) -> {
            String dev = state.links().get(idx).name();
            for (var a : addrs) {
                if (dev.equals("lo")) {
                    continue;
                }
                if (a.family() == Family.IPV6) {
                    ns.exec("ip", "-6", "addr", "add", a.toString(), "dev", dev, "nodad");
                } else {
                    ns.exec("ip", "addr", "add", a.toString(), "dev", dev);
                }
            }
        });
        if (!ns.exec("nft", "list", "tables").contains("inet fw4")) {
            ns.exec("nft", "add", "table", "inet", "fw4");
        }
        for (Rule r : state.config().rules()) {
            if (r.ipset().isPresent() && !ns.exec("nft", "list", "sets").contains(r.ipset().get())) {
                ns.exec("nft", "add", "set", "inet", "fw4", r.ipset().get(), "{ type ipv4_addr; }");
            }
        }
    }

    static Desired readBack(TestNetns ns, Desired want) {
        return KernelReadBack.parse(ns.exec("nft", "list", "table", "inet", "fw4"));
    }

    static void assertListedAs(TestNetns ns, Desired want) {
        Desired got = readBack(ns, want);
        Desired expected = KernelReadBack.visible(want);
        assertThat(got.chains().keySet()).as("our chains").containsExactlyElementsOf(expected.chains().keySet());
        for (NftChain c : expected.chains().values()) {
            assertThat(got.chains().get(c.name())).as("nft list chain inet fw4 %s", c.name()).isEqualTo(c);
            // the same through the per-chain listing the kernel helper uses
            Desired one = KernelReadBack.parse(ns.exec("nft", "list", "chain", "inet", "fw4", c.name()));
            assertThat(one.chains().get(c.name()).rules()).isEqualTo(c.rules());
        }
        assertThat(got.sets()).as("our sets").isEqualTo(expected.sets());
    }

    static void runLines(TestNetns ns, String file) {
        for (String line : file.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                ns.exec(line.split(" "));
            }
        }
    }
}
