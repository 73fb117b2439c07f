package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.kernel.nft.NftFixtures.cidrs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.kernel.nft.NftNotification.Change;
import org.mwan4.kernel.nft.NftNotification.Generation;
import org.mwan4.kernel.nft.NftNotification.Kind;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.NftSet;
import org.mwan4.plan.Op;

/**
 * Steps applied through {@link LibNftables#apply(List, java.util.function.Function)}: nft text before, the element
 * batch, nft text after ({@link NftStep}), mixed with a foreign nft; each step reads back as planned.
 */
@Tag("kernel")
class NftStepKernelTest {
    private NftNetns lab;

    @BeforeEach
    void open() {
        lab = NftNetns.open("knft-step");
        lab.ns().nft("add table inet fw4"); // fw4 owns the table; we only add to it
    }

    @AfterEach
    void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void startChurnAndAForeignChangeEachReadBackAsPlanned() {
        Desired first = NftFixtures.ruleset();
        List<Op> start = new ArrayList<>();
        first.sets().values().forEach(s -> start.add(new Op.AddSet(s)));
        for (String chain : List.of("mwan4_ifaces_in", "mwan4_strategy_balanced_ipv4", "mwan4_output", "mwan4_prerouting")) {
            start.add(new Op.AddChain(first.chains().get(chain)));
        }
        NftStep startStep = NftStep.of(start);
        assertThat(startStep.elements()).extracting(SetElements::set)
                .containsExactly("mwan4_connected_ipv4", "mwan4_connected_ipv6", "mwan4_custom_ipv4");
        lab.nft().apply(start, NftRender::script);
        assertThat(lab.reader().read()).isEqualTo(first);

        // route churn plus a strategy change, in the planner's order
        Desired second = with(first, "mwan4_connected_ipv4", cidrs("192.0.2.0/25", "192.0.2.128/25", "203.0.113.64/26"),
                "mwan4_custom_ipv4", cidrs("198.51.100.0/25"), NftFixtures.strategyRules(1, 4));
        List<Op> churn = List.of(
                new Op.DeleteElements("mwan4_connected_ipv4", cidrs("192.0.2.0/24", "198.51.100.7")),
                new Op.AddElements("mwan4_connected_ipv4", cidrs("192.0.2.0/25", "192.0.2.128/25")),
                new Op.DeleteElements("mwan4_custom_ipv4", cidrs("198.51.100.128/25")),
                new Op.ReplaceChain(second.chains().get("mwan4_strategy_balanced_ipv4")));
        lab.nft().apply(churn, NftRender::script);
        assertThat(lab.reader().read()).isEqualTo(second);

        // someone else adds to our set; the next step removes it again through the direct path
        lab.ns().nft("add element inet fw4 mwan4_custom_ipv4 { 198.51.100.200 }");
        assertThat(lab.reader().read().sets().get("mwan4_custom_ipv4").elements()).isEqualTo(cidrs("198.51.100.0/25", "198.51.100.200"));
        lab.nft().apply(List.of(new Op.DeleteElements("mwan4_custom_ipv4", cidrs("198.51.100.200"))), NftRender::script);
        assertThat(lab.reader().read()).isEqualTo(second);
    }

    /** The planner's diff and renderer through {@link LibNftables#apply(List, java.util.function.Function)}. */
    @Test
    void aSequenceOfRealDiffsReadsBackAsPlannedWithNothingLeftToDo() {
        Desired ruleset = NftFixtures.ruleset();
        Desired churned = with(ruleset, "mwan4_connected_ipv4", cidrs("192.0.2.0/25", "192.0.2.128/25", "203.0.113.64/26"),
                "mwan4_custom_ipv4", cidrs("198.51.100.0/25"), NftFixtures.strategyRules(1, 4));
        // the sticky set's timeout changes (re-created, its chain flushed first) while connected prefixes move
        SortedMap<String, NftSet> sets = new TreeMap<>(churned.sets());
        sets.put("mwan4_rule_ipv4_sticky", new NftSet("mwan4_rule_ipv4_sticky", "ipv4_addr . mark", false, 900, cidrs(), false));
        sets.put("mwan4_connected_ipv6", new NftSet("mwan4_connected_ipv6", "ipv6_addr", true, 0,
                new TreeSet<>(NftFixtures.manyPrefixes(2_000)), true));
        Desired redefined = new Desired(sets, churned.chains(), churned.ipRules(), churned.routes());

        Desired have = Desired.empty();
        for (Desired want : List.of(ruleset, churned, redefined, ruleset, Desired.empty())) {
            List<Op> ops = Diff.diff(have, want);
            lab.nft().apply(ops, NftRender::script);

            Desired read = lab.reader().read();
            assertThat(read).isEqualTo(want);
            assertThat(Diff.diff(read, want)).isEmpty();
            have = want;
        }
        assertThat(NftStep.of(Diff.diff(churned, redefined)).elements()).extracting(SetElements::set)
                .containsExactly("mwan4_connected_ipv6");
    }

    @Test
    void theMonitorSeesTheBatchAsOurOwnTransaction() throws Exception {
        lab.nft().apply(NftRender.script(List.of(new Op.AddSet(NftFixtures.ruleset().sets().get("mwan4_connected_ipv6")))));
        LinkedBlockingQueue<NftNotification> seen = new LinkedBlockingQueue<>();
        try (NftMonitor monitor = NftMonitor.start(lab.thread(), seen::add)) {
            lab.nft().applyElements("mwan4_connected_ipv6", Family.IPV6, cidrs("2001:db8:9::/48"), cidrs());

            List<NftNotification> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && got.stream().noneMatch(n -> n instanceof Generation)) {
                NftNotification n = seen.poll(100, TimeUnit.MILLISECONDS);
                if (n != null) {
                    got.add(n);
                }
            }
            assertThat(got).contains(new Change(Kind.NEW_SETELEM, "inet", "fw4", "mwan4_connected_ipv6"));
            assertThat(got.getLast()).isInstanceOfSatisfying(Generation.class, g -> assertThat(g.pid()).isEqualTo(lab.nft().threadId()));
        }
    }

    private static Desired with(Desired d, String set1, SortedSet<Cidr> elements1,
                                String set2, SortedSet<Cidr> elements2, List<String> strategy) {
        SortedMap<String, NftSet> sets = new TreeMap<>(d.sets());
        NftSet a = sets.get(set1);
        sets.put(set1, new NftSet(a.name(), a.keyType(), a.interval(), a.timeoutSeconds(), elements1, true));
        NftSet b = sets.get(set2);
        sets.put(set2, new NftSet(b.name(), b.keyType(), b.interval(), b.timeoutSeconds(), elements2, true));
        SortedMap<String, NftChain> chains = new TreeMap<>(d.chains());
        chains.put("mwan4_strategy_balanced_ipv4", new NftChain("mwan4_strategy_balanced_ipv4", null, strategy));
        return new Desired(sets, chains, d.ipRules(), d.routes());
    }
}
