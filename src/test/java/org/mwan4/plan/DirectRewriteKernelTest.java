package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.nft.ChainRuleCodec;
import org.mwan4.kernel.nft.LibNftables;
import org.mwan4.kernel.nft.NftReader;
import org.mwan4.kernel.nft.NftStep;
import org.mwan4.testing.TestNetns;

/**
 * The failover path as the daemon runs it, against a real kernel: each golden scenario is loaded, then every tracker
 * goes offline one after the other and comes back online; each step's ops go through {@link LibNftables#apply(List,
 * java.util.function.Function)}. A step that only rewrites strategy chains must take the direct nf_tables path, and
 * after every step the kernel reads back ({@link NftReader}) so that the planner's next diff is empty.
 */
@Tag("kernel")
class DirectRewriteKernelTest {

    /**
     * Scenario and whether some of its failovers are strategy-only (direct). With sticky rules a failover also rewrites
     * the rule chains ({@code jump}, {@code update @set}) and deletes a sticky set: those steps go through libnftables.
     */
    static Stream<Arguments> scenarios() {
        return Stream.of(Arguments.of("single-wan", true), Arguments.of("two-wans-3to1", true), Arguments.of("metric-tiers", true),
                Arguments.of("last-resorts", true), Arguments.of("mask-ff00", true), Arguments.of("dual-stack", false),
                Arguments.of("sticky", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyFailoverStepReadsBackAsPlanned(String scenario, boolean someDirect) {
        State s0 = TestStates.scenario(scenario);
        List<State> steps = new ArrayList<>(List.of(s0));
        State s = s0;
        for (State.TrackerKey k : s0.trackers().keySet()) {
            s = TestStates.withStatus(s, k.iface(), k.family(), TrackerStatus.OFFLINE);
            steps.add(s);
        }
        for (State.TrackerKey k : s0.trackers().keySet()) {
            s = TestStates.withStatus(s, k.iface(), k.family(), TrackerStatus.ONLINE);
            steps.add(s);
        }
        int direct = 0;
        List<List<String>> others = new ArrayList<>();
        try (TestNetns ns = TestNetns.create("rewrite");
             NetnsThread thread = NetnsThread.enter(ns.name());
             LibNftables nft = LibNftables.open(thread)) {
            NftKernelTest.prepare(ns, s0);
            ns.exec("nft", "add", "table", "inet", "fw4");
            NftReader reader = new NftReader(nft);
            Desired have = Desired.empty();
            for (State step : steps) {
                Desired want = Planner.plan(step);
                List<Op> ops = Diff.diff(have, want).stream().filter(NftStep::isNft).toList();
                if (ChainRuleCodec.rewrites(ops).isPresent()) {
                    direct++;
                } else {
                    others.add(ops.stream().map(o -> o instanceof Op.ReplaceChain r ? r.chain().toString() : NftRender.summary(o)).toList());
                }
                nft.apply(ops, NftRender::script);
                Desired read = reader.read();
                Desired wantNft = new Desired(want.sets(), want.chains(), read.ipRules(), read.routes());
                assertThat(Diff.diff(read, wantNft)).as("%s: diff after applying %s", scenario, ops).isEmpty();
                have = wantNft;
            }
        }
        if (someDirect) {
            assertThat(direct).as("steps that took the direct path; the others: %s", others).isPositive();
        }
    }
}
