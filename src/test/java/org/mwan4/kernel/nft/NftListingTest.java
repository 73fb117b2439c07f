package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/** The pure parsers behind {@link NftReader}, on listings printed by nft 1.0.6. */
class NftListingTest {

    /** {@code nft -s -t list table inet fw4}, verbatim, with someone else's chain and set in between. */
    static final String TEXT = """
            table inet fw4 {
            	set mwan4_connected_ipv4 {
            		type ipv4_addr
            		flags interval
            		auto-merge
            	}

            	set mwan4_rule_ipv4_sticky {
            		type ipv4_addr . mark
            		size 65535
            		flags dynamic,timeout
            		timeout 10m
            	}

            	set other_set {
            		type ipv4_addr
            	}

            	chain mwan4_ifaces_in {
            		iifname "veth0" meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xffffc1ff | 0x00000100 comment "wan"
            		meta mark & 0x00003f00 != 0x00003f00 update @mwan4_rule_ipv4_sticky { ip saddr . meta mark timeout 10m }
            	}

            	chain mwan4_strategy_balanced_ipv4 {
            	}

            	chain input {
            		type filter hook input priority filter; policy accept;
            		tcp dport 22 accept
            	}

            	chain mwan4_prerouting {
            		type filter hook prerouting priority mangle; policy accept;
            		ip6 nexthdr ipv6-icmp icmpv6 type { nd-router-solicit, nd-router-advert } return
            		meta mark & 0x00003f00 == 0x00000000 jump mwan4_ifaces_in
            	}

            	chain mwan4_output {
            		comment "mwan4 output"
            		type route hook output priority mangle + 5; policy accept;
            		meta mark & 0x00003f00 == 0x00000000 jump mwan4_ifaces_in
            	}
            }
            """;

    /** {@code nft -j list table inet fw4}, the set entries verbatim. */
    static final String JSON = """
            {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
            {"table": {"family": "inet", "name": "fw4", "handle": 2}},
            {"set": {"family": "inet", "name": "mwan4_connected_ipv4", "table": "fw4", "type": "ipv4_addr", "handle": 1, "flags": ["interval"], "elem": [{"prefix": {"addr": "192.0.2.0", "len": 24}}, {"range": ["198.51.100.0", "198.51.100.64"]}, {"prefix": {"addr": "203.0.113.64", "len": 26}}]}},
            {"set": {"family": "inet", "name": "mwan4_connected_ipv6", "table": "fw4", "type": "ipv6_addr", "handle": 2, "flags": ["interval"], "elem": [{"prefix": {"addr": "2001:db8:1::", "len": 48}}, "2001:db8:2::1"]}},
            {"set": {"family": "inet", "name": "mwan4_rule_ipv4_sticky", "table": "fw4", "type": ["ipv4_addr", "mark"], "handle": 3, "size": 65535, "flags": ["timeout"], "timeout": 600, "elem": [{"elem": {"val": {"concat": ["192.0.2.1", 256]}, "timeout": 300, "expires": 299}}]}},
            {"set": {"family": "inet", "name": "mwan4_custom_ipv4", "table": "fw4", "type": "ipv4_addr", "handle": 4, "elem": [{"elem": {"val": "192.0.2.9", "comment": "x"}}]}},
            {"set": {"family": "inet", "name": "other_set", "table": "fw4", "type": "ipv4_addr", "handle": 23, "elem": ["192.0.2.9"]}},
            {"set": {"family": "ip", "name": "mwan4_elsewhere", "table": "fw4", "type": "ipv4_addr", "handle": 5}},
            {"chain": {"family": "inet", "table": "fw4", "name": "mwan4_output", "handle": 4, "type": "route", "hook": "output", "prio": -145, "policy": "accept"}}
            ]}
            """;

    @Test
    void chainsAreOursOnlyWithHooksAndVerbatimRules() {
        SortedMap<String, NftChain> chains = NftTextListing.chains(TEXT, "inet", "fw4", "mwan4_");
        assertThat(chains.keySet()).containsExactly("mwan4_ifaces_in", "mwan4_output", "mwan4_prerouting", "mwan4_strategy_balanced_ipv4");
        assertThat(chains.get("mwan4_prerouting")).isEqualTo(new NftChain("mwan4_prerouting",
                new NftChain.Hook("filter", "prerouting", "mangle"), List.of(
                        "ip6 nexthdr ipv6-icmp icmpv6 type { nd-router-solicit, nd-router-advert } return",
                        "meta mark & 0x00003f00 == 0x00000000 jump mwan4_ifaces_in")));
        assertThat(chains.get("mwan4_output").hook()).isEqualTo(new NftChain.Hook("route", "output", "mangle + 5"));
        assertThat(chains.get("mwan4_output").rules()).containsExactly("meta mark & 0x00003f00 == 0x00000000 jump mwan4_ifaces_in");
        assertThat(chains.get("mwan4_ifaces_in").hook()).isNull();
        assertThat(chains.get("mwan4_ifaces_in").rules()).containsExactly(
                "iifname \"veth0\" meta mark & 0x00003f00 == 0x00000000 meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan\"",
                "meta mark & 0x00003f00 != 0x00003f00 update @mwan4_rule_ipv4_sticky { ip saddr . meta mark timeout 10m }");
        assertThat(chains.get("mwan4_strategy_balanced_ipv4").rules()).isEmpty();
        assertThat(chains.get("mwan4_prerouting").hook().toString())
                .isEqualTo("type filter hook prerouting priority mangle; policy accept;");
    }

    @Test
    void wrappedContinuationLinesJoinTheirRule() {
        String text = "table inet fw4 {\n\tchain mwan4_x {\n\t\tip daddr { 192.0.2.1,\n\t\t\t     192.0.2.2 } accept\n\t}\n}\n";
        assertThat(NftTextListing.chains(text, "inet", "fw4", "mwan4_").get("mwan4_x").rules())
                .containsExactly("ip daddr { 192.0.2.1, 192.0.2.2 } accept");
    }

    @Test
    void emptyOrForeignListingHasNoChains() {
        assertThat(NftTextListing.chains("", "inet", "fw4", "mwan4_")).isEmpty();
        assertThat(NftTextListing.chains("garbage {\n\t\tnot a rule\n}", "inet", "fw4", "mwan4_")).isEmpty();
        assertThat(NftTextListing.hasTable("", "inet", "fw4")).isFalse();
    }

    @Test
    void onlyTheWantedTableOfARulesetCounts() {
        String ruleset = """
                table ip mangle {
                	chain mwan4_same_name {
                		counter
                	}
                }
                table inet fw4 {
                	chain mwan4_same_name {
                		accept
                	}
                }
                table ip6 fw4 {
                	chain mwan4_other {
                	}
                }
                """;
        assertThat(NftTextListing.hasTable(ruleset, "inet", "fw4")).isTrue();
        assertThat(NftTextListing.hasTable(ruleset, "ip", "fw4")).isFalse();
        assertThat(NftTextListing.chains(ruleset, "inet", "fw4", "mwan4_"))
                .containsExactly(java.util.Map.entry("mwan4_same_name", new NftChain("mwan4_same_name", null, List.of("accept"))));
    }

    @Test
    void setsAreOursInInetFw4WithElementsAsPrefixes() throws Exception {
        SortedMap<String, NftSet> sets = NftJsonListing.sets(new ObjectMapper().readTree(JSON), "inet", "fw4", "mwan4_");
        assertThat(sets.keySet()).containsExactly("mwan4_connected_ipv4", "mwan4_connected_ipv6", "mwan4_custom_ipv4", "mwan4_rule_ipv4_sticky");
        assertThat(sets.get("mwan4_connected_ipv4")).isEqualTo(new NftSet("mwan4_connected_ipv4", "ipv4_addr", true, 0,
                cidrs("192.0.2.0/24", "198.51.100.0/26", "198.51.100.64", "203.0.113.64/26"), true));
        assertThat(sets.get("mwan4_connected_ipv6")).isEqualTo(new NftSet("mwan4_connected_ipv6", "ipv6_addr", true, 0,
                cidrs("2001:db8:1::/48", "2001:db8:2::1"), true));
        assertThat(sets.get("mwan4_custom_ipv4")).isEqualTo(new NftSet("mwan4_custom_ipv4", "ipv4_addr", false, 0,
                cidrs("192.0.2.9"), true));
        assertThat(sets.get("mwan4_rule_ipv4_sticky")).isEqualTo(new NftSet("mwan4_rule_ipv4_sticky", "ipv4_addr . mark", false, 600,
                cidrs(), false));
    }

    @Test
    void anElementThatIsNoAddressIsAClearError() throws Exception {
        String json = """
                {"nftables": [{"set": {"family": "inet", "name": "mwan4_x", "table": "fw4", "type": "ipv4_addr",
                  "elem": [{"weird": 1}]}}]}""";
        assertThatThrownBy(() -> NftJsonListing.sets(new ObjectMapper().readTree(json), "inet", "fw4", "mwan4_"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("set mwan4_x holds element {\"weird\":1}");
    }

    private static TreeSet<Cidr> cidrs(String... s) {
        TreeSet<Cidr> out = new TreeSet<>();
        for (String x : s) {
            out.add(Cidr.parse(x).orElseThrow());
        }
        return out;
    }
}
