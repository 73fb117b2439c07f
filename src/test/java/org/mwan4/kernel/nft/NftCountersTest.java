package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;

/**
 * Rule counters: read from the stateful listing for {@code mwan4 rules}, and ignored wherever rules are compared,
 * so traffic moving a counter never makes a step rewrite a chain.
 */
class NftCountersTest {
    private static final String RULE = "meta mark & 0x00003f00 == 0x00000000 tcp dport 443 counter jump mwan4_strategy_b_ipv4 comment \"https\"";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            values dropped            | ip daddr 192.0.2.1 counter packets 12 bytes 3400 jump x comment "a" | ip daddr 192.0.2.1 counter jump x comment "a"
            stateless listing kept    | ip daddr 192.0.2.1 counter jump x                                  | ip daddr 192.0.2.1 counter jump x
            no counter at all         | ip daddr 192.0.2.1 jump x                                          | ip daddr 192.0.2.1 jump x
            counter last              | ip daddr 192.0.2.1 counter packets 0 bytes 0                       | ip daddr 192.0.2.1 counter
            """)
    void counterValuesAreNotPartOfARule(String name, String listed, String canonical) {
        assertThat(NftTextListing.withoutCounterValues(listed)).isEqualTo(canonical);
    }

    @Test
    void parsesCountedRulesOfOneChainInOrder() {
        String listing = """
                table inet fw4 {
                	chain mwan4_rules_ipv4 {
                		meta mark & 0x00003f00 == 0x00000000 tcp dport 443 counter packets 7 bytes 420 jump mwan4_strategy_b_ipv4 comment "https"
                		meta mark & 0x00003f00 == 0x00000000 ip daddr 203.0.113.0/24 jump mwan4_strategy_b_ipv4 comment "uncounted"
                		meta mark & 0x00003f00 == 0x00000000 ip daddr 0.0.0.0/0 counter packets 18446744073709551615 bytes 0 meta mark set 0x00003e00
                	}
                }
                """;
        assertThat(NftCounters.parse(listing, "mwan4_rules_")).containsExactly(
                new NftCounters.Counted("mwan4_rules_ipv4", RULE, "https", 7, 420),
                new NftCounters.Counted("mwan4_rules_ipv4",
                        "meta mark & 0x00003f00 == 0x00000000 ip daddr 0.0.0.0/0 counter meta mark set 0x00003e00", "",
                        Long.MAX_VALUE, 0));
        // the same listing read as chains (the diff's view) carries no values at all
        assertThat(NftTextListing.chains(listing, "inet", "fw4", "mwan4_").get("mwan4_rules_ipv4").rules().getFirst())
                .isEqualTo(RULE);
    }

    /**
     * In a namespace: a user rule chain hooked into output, pings through it; the counter rises by what was sent,
     * the missing ipv6 chain adds nothing, and the read-back still equals the planned chain (no step would rewrite it).
     */
    @Test
    @Tag("kernel")
    void trafficRaisesTheCounterAndTheReadBackStaysAsPlanned() {
        try (NftNetns lab = NftNetns.open("counters")) {
            lab.ns().exec("ip", "link", "set", "lo", "up");
            String rule = "meta mark & 0x00003f00 == 0x00000000 ip daddr 127.0.0.1 meta l4proto icmp counter comment \"ping\"";
            NftChain planned = new NftChain("mwan4_rules_ipv4", null, List.of(rule));
            lab.ns().nft("""
                    table inet fw4 {
                    	chain mwan4_rules_ipv4 {
                    		%s
                    	}
                    	chain mwan4_output {
                    		type route hook output priority mangle; policy accept;
                    		jump mwan4_rules_ipv4
                    	}
                    }
                    """.formatted(rule));
            List<String> chains = List.of("mwan4_rules_ipv4", "mwan4_rules_ipv6");
            assertThat(NftCounters.read(lab.nft(), chains)).singleElement()
                    .satisfies(c -> assertThat(c.packets()).isZero());

            lab.ns().exec("ping", "-c", "3", "-i", "0.01", "-W", "1", "127.0.0.1");

            NftCounters.Counted after = NftCounters.read(lab.nft(), chains).getFirst();
            // 3 requests and 3 replies leave through output (both to 127.0.0.1)
            assertThat(after.packets()).isEqualTo(6);
            assertThat(after.bytes()).isEqualTo(6 * 84); // 20 IP + 8 ICMP + 56 payload
            assertThat(after).extracting(NftCounters.Counted::rule, NftCounters.Counted::comment).containsExactly(rule, "ping");
            Desired back = lab.reader().read();
            assertThat(back.chains().get("mwan4_rules_ipv4")).isEqualTo(planned);
            assertThat(lab.nft().listWithCounters("list chain inet fw4 mwan4_rules_ipv4")).contains("counter packets 6 bytes 504");
        }
    }
}
