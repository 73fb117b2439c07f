package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;

class PlanMemoTest {

    @Test
    void memoPlansEqualFreshPlansAlongRandomStateSequences() {
        List<State> bases = TestStates.SCENARIOS.stream().map(TestStates::scenario).toList();
        Random r = new Random(7);
        PlanMemo memo = new PlanMemo();
        State s = bases.getFirst();
        for (int i = 0; i < 400; i++) {
            // mostly tracker flips (facts shared), sometimes a whole new state
            if (r.nextInt(5) == 0) {
                s = DiffPropertyTest.randomState(r, bases);
            } else if (!s.config().interfaces().isEmpty()) {
                var iface = s.config().interfaces().get(r.nextInt(s.config().interfaces().size()));
                TrackerStatus[] all = TrackerStatus.values();
                s = TestStates.withStatus(s, iface.name(), iface.families().isEmpty() ? Family.IPV4 : iface.families().getFirst(),
                        all[r.nextInt(all.length)]);
            }
            assertThat(memo.plan(s)).as("step %d", i).isEqualTo(Planner.plan(s));
        }
    }

    @Test
    void aTrackerFlipSharesTheFactsPart() {
        State s = TestStates.scenario("dual-stack");
        PlanMemo memo = new PlanMemo();
        Desired a = memo.plan(s);
        Desired b = memo.plan(TestStates.withStatus(s, "wan", Family.IPV6, TrackerStatus.OFFLINE));
        assertThat(b.routes()).isSameAs(a.routes());
        // the facts' sets are the same instances; the sticky sets follow the trackers: wan's IPv6 one is gone
        assertThat(a.sets()).containsKey("mwan4_rule_ipv6_https_1");
        assertThat(b.sets()).doesNotContainKey("mwan4_rule_ipv6_https_1");
        b.sets().forEach((name, set) -> {
            if (name.startsWith("mwan4_rule_")) {
                assertThat(set).as(name).isEqualTo(a.sets().get(name));
            } else {
                assertThat(set).as(name).isSameAs(a.sets().get(name));
            }
        });
        assertThat(b.chains().get(NftText.PREROUTING)).isSameAs(a.chains().get(NftText.PREROUTING));
        assertThat(b.chains().get("mwan4_strategy_balanced_ipv6")).isNotEqualTo(a.chains().get("mwan4_strategy_balanced_ipv6"));
    }
}
