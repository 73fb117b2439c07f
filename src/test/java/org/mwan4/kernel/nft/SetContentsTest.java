package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;

/** Reading what sets hold from nft's JSON listing, whoever fills them. */
class SetContentsTest {
    static final String JSON = """
            {"nftables": [{"metainfo": {"version": "1.0.6"}},
             {"set": {"family": "inet", "name": "vpn_dst", "table": "fw4", "type": "ipv4_addr", "flags": ["interval"],
                      "elem": ["203.0.113.7", {"prefix": {"addr": "192.0.2.0", "len": 24}}, {"range": ["198.51.100.8", "198.51.100.15"]}]}},
             {"set": {"family": "inet", "name": "mwan4_rule_ipv4_https_2", "table": "fw4", "type": "ipv4_addr",
                      "flags": ["dynamic", "timeout"], "timeout": 600,
                      "elem": [{"elem": {"val": "198.51.100.20", "timeout": 600, "expires": 597}}]}},
             {"set": {"family": "inet", "name": "pairs", "table": "fw4", "type": ["ipv4_addr", "mark"], "elem": []}},
             {"set": {"family": "ip", "name": "vpn_dst", "table": "other", "type": "ipv4_addr", "elem": ["192.0.2.99"]}},
             {"set": {"family": "inet", "name": "not_asked", "table": "fw4", "type": "ipv4_addr", "elem": ["192.0.2.1"]}}]}
            """;

    @Test
    void addressSetsOfInetFw4ByNameWithTheirElementsWhateverTheirFlags() throws Exception {
        SortedMap<String, SortedSet<Cidr>> got = SetContents.of(new ObjectMapper().readTree(JSON), "inet", "fw4",
                List.of("vpn_dst", "mwan4_rule_ipv4_https_2", "pairs", "missing"));
        assertThat(got).containsOnlyKeys("vpn_dst", "mwan4_rule_ipv4_https_2");
        assertThat(got.get("vpn_dst")).extracting(Cidr::toString).containsExactly("192.0.2.0/24", "198.51.100.8/29", "203.0.113.7");
        assertThat(got.get("mwan4_rule_ipv4_https_2")).extracting(Cidr::toString).containsExactly("198.51.100.20");
    }

    @Test
    void aSetWithAnElementThatIsNoAddressStaysUnknown() throws Exception {
        String json = """
                {"nftables": [{"set": {"family": "inet", "name": "odd", "table": "fw4", "type": "ipv4_addr", "elem": [{"weird": 1}]}}]}
                """;
        assertThat(SetContents.of(new ObjectMapper().readTree(json), "inet", "fw4", List.of("odd"))).isEmpty();
    }
}
