package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mwan4.kernel.nft.NftFixtures.cidrs;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Cidr;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.NftSet;

/** libnftables over FFM against the real kernel, in a throwaway namespace per test. */
@Tag("kernel")
class LibNftablesTest {
    private NftNetns lab;

    @BeforeEach
    void open() {
        lab = NftNetns.open("knft");
    }

    @AfterEach
    void close() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void appliedRulesetReadsBackEqual() {
        lab.nft().apply(NftFixtures.render(NftFixtures.ruleset()));

        assertThat(lab.reader().read()).isEqualTo(NftFixtures.ruleset());
        // it landed in the namespace, as nft itself sees it there
        assertThat(lab.ns().exec("nft", "list", "chain", "inet", "fw4", "mwan4_strategy_balanced_ipv4")).contains("comment \"wan 3 4\"");
    }

    @Test
    void missingTableReadsAsTheEmptyModel() {
        assertThat(lab.reader().read()).isEqualTo(Desired.empty());
    }

    @Test
    void foreignObjectsInFw4AreNotOurs() {
        lab.ns().nft("""
                add table inet fw4
                add chain inet fw4 input { type filter hook input priority filter; policy accept; }
                add rule inet fw4 input tcp dport 22 accept
                add set inet fw4 pbr_x { type ipv4_addr; elements = { 192.0.2.9 } }
                add table ip mangle
                add chain ip mangle mwan4_elsewhere
                """);
        assertThat(lab.reader().read()).isEqualTo(Desired.empty());
    }

    static Stream<Arguments> badOps() {
        return Stream.of(
                Arguments.of("rule in a chain that does not exist", "add rule mwan4_nochain",
                        "add rule inet fw4 mwan4_nochain counter", "No such file or directory"),
                Arguments.of("jump to a chain that does not exist", "add rule mwan4_ifaces_in",
                        "add rule inet fw4 mwan4_ifaces_in jump mwan4_missing", "Could not process rule: No such file or directory"),
                Arguments.of("deleting a chain still jumped to", "delete chain mwan4_ifaces_in",
                        "delete chain inet fw4 mwan4_ifaces_in", "Could not process rule: Device or resource busy"),
                Arguments.of("element outside the key type", "add elements mwan4_connected_ipv4",
                        "add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/33 }", "Prefix length 33 is invalid"),
                Arguments.of("syntax lab.nft() 1.0.6 does not know", "add rule mwan4_strategy_balanced_ipv4",
                        "add rule inet fw4 mwan4_strategy_balanced_ipv4 meta mark set (meta mark & ~0x3f00) | 0x100", "syntax error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOps")
    void rejectedOpIsNamedAndNothingOfTheTransactionLands(String name, String summary, String line, String kernelMessage) {
        Desired before = NftFixtures.ruleset();
        lab.nft().apply(NftFixtures.render(before));
        NftScript script = Scripts.create()
                .op("add set mwan4_new_ipv4", "add set inet fw4 mwan4_new_ipv4 { type ipv4_addr; flags interval; auto-merge; }",
                        "add element inet fw4 mwan4_new_ipv4 { 192.0.2.128/25 }")
                .op("add chain mwan4_new", "add chain inet fw4 mwan4_new")
                .op("replace chain mwan4_strategy_balanced_ipv4", "flush chain inet fw4 mwan4_strategy_balanced_ipv4",
                        "add rule inet fw4 mwan4_strategy_balanced_ipv4 " + NftFixtures.strategyRules(1, 2).get(0))
                .op(summary, line)
                .op("add elements mwan4_connected_ipv4", "add element inet fw4 mwan4_connected_ipv4 { 203.0.113.5 }")
                .build();

        assertThatThrownBy(() -> lab.nft().apply(script))
                .isInstanceOfSatisfying(NftException.class, e -> assertThat(e.op()).isEqualTo(3))
                .hasMessageStartingWith("nft rejected op 4 of 5 (" + summary + "): ")
                .hasMessageContaining(kernelMessage);
        assertThat(lab.reader().read()).isEqualTo(before);
    }

    @Test
    void checkModeReportsTheBadOpAndAppliesNothing() {
        lab.nft().apply(NftFixtures.render(NftFixtures.ruleset()));
        NftScript good = Scripts.create().op("add chain mwan4_new", "add chain inet fw4 mwan4_new").build();
        NftScript bad = Scripts.create()
                .op("add chain mwan4_new", "add chain inet fw4 mwan4_new")
                .op("add rule mwan4_nochain", "add rule inet fw4 mwan4_nochain counter")
                .build();

        lab.nft().check(good);
        assertThatThrownBy(() -> lab.nft().check(bad)).hasMessageStartingWith("nft rejected op 2 of 2 (add rule mwan4_nochain): ");
        assertThat(lab.reader().read()).isEqualTo(NftFixtures.ruleset());
    }

    @Test
    void strategyRewriteReplacesTheRulesInOneTransaction() {
        lab.nft().apply(NftFixtures.render(NftFixtures.ruleset()));
        List<String> rules = new ArrayList<>(NftFixtures.strategyRules(1, 3));
        rules.add("meta mark & " + NftFixtures.MASK + " == 0x00000000 meta mark set meta mark | " + NftFixtures.MASK + " comment \"default\"");
        Scripts s = Scripts.create();
        List<String> lines = new ArrayList<>(List.of("flush chain inet fw4 mwan4_strategy_balanced_ipv4"));
        rules.forEach(r -> lines.add("add rule inet fw4 mwan4_strategy_balanced_ipv4 " + r));
        lab.nft().apply(s.op("replace chain mwan4_strategy_balanced_ipv4", lines.toArray(String[]::new)).build());

        assertThat(lab.reader().read().chains().get("mwan4_strategy_balanced_ipv4"))
                .isEqualTo(new NftChain("mwan4_strategy_balanced_ipv4", null, rules));
    }

    static Stream<Arguments> elements() {
        return Stream.of(
                Arguments.of("hosts and prefixes", List.of("192.0.2.1", "192.0.2.64/26", "198.51.100.0/24", "203.0.113.255")),
                Arguments.of("adjacent halves merge", List.of("192.0.2.0/25", "192.0.2.128/25")),
                Arguments.of("prefix next to a host becomes a range", List.of("198.51.100.0/26", "198.51.100.64")),
                Arguments.of("host inside a prefix", List.of("203.0.113.0/24", "203.0.113.7")),
                Arguments.of("ipv6 prefixes and hosts", List.of("2001:db8::/33", "2001:db8:8000::/33", "2001:db8:1:2::5", "2001:db8:ffff::/48")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elements")
    void intervalSetElementsRoundTripAsCanonicalPrefixes(String name, List<String> in) {
        SortedSet<Cidr> elements = cidrs(in.toArray(String[]::new));
        String type = elements.first().family().id() + "_addr";
        lab.nft().apply(Scripts.create()
                .op("add table", "add table inet fw4")
                .op("add set mwan4_s", "add set inet fw4 mwan4_s { type " + type + "; flags interval; auto-merge; }",
                        NftFixtures.addElements("mwan4_s", elements))
                .build());

        NftSet got = lab.reader().read().sets().get("mwan4_s");
        assertThat(got.elements()).isEqualTo(AddressRanges.canonical(elements));
        assertThat(got.interval()).isTrue();
        assertThat(got.keyType()).isEqualTo(type);
    }

    @Test
    void withoutAutoMergeAdjacentElementsStayApart() {
        SortedSet<Cidr> elements = cidrs("192.0.2.0/25", "192.0.2.128/25", "198.51.100.0/26", "198.51.100.64");
        lab.nft().apply(Scripts.create()
                .op("add table", "add table inet fw4")
                .op("add set mwan4_s", "add set inet fw4 mwan4_s { type ipv4_addr; flags interval; }",
                        NftFixtures.addElements("mwan4_s", elements))
                .build());

        assertThat(lab.reader().read().sets().get("mwan4_s").elements()).isEqualTo(elements);
    }

    @Test
    void hundredThousandPrefixesLoadInBatchesIntoAnIntervalSet() {
        List<Cidr> all = NftFixtures.manyPrefixes(100_000);
        lab.nft().apply(Scripts.create()
                .op("add table", "add table inet fw4")
                .op("add set mwan4_connected_ipv6", "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }")
                .build());
        // one transaction, one add-element command per 10k batch (nft 1.0.6 dumps an interval set's current
        // elements before each transaction touching it, so many small transactions into a big set cost more)
        Scripts load = Scripts.create();
        int batch = 10_000;
        for (int from = 0; from < all.size(); from += batch) {
            load.op("add elements mwan4_connected_ipv6 #" + (from / batch + 1),
                    NftFixtures.addElements("mwan4_connected_ipv6", new TreeSet<>(all.subList(from, from + batch))));
        }
        lab.nft().apply(load.build());

        SortedSet<Cidr> got = lab.reader().read().sets().get("mwan4_connected_ipv6").elements();
        assertThat(got).hasSize(100_000).isEqualTo(new TreeSet<>(all));
    }

    @Test
    void callsFromTheNamespaceThreadItselfDoNotDeadlock() {
        Desired got = lab.thread().call(() -> {
            lab.nft().apply(NftFixtures.render(NftFixtures.ruleset()));
            return lab.reader().read();
        });
        assertThat(got).isEqualTo(NftFixtures.ruleset());
    }

    @Test
    void closedBackendSaysSo() {
        lab.nft().close();
        assertThatThrownBy(() -> lab.nft().list("list tables")).hasMessageContaining("is closed");
    }
}
