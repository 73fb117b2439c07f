package org.mwan4.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.plan.KernelDump;
import org.mwan4.plan.NftRender;
import org.mwan4.testing.TestNetns;

/**
 * {@code mwan4 internal} against a real namespace: what the daemon's kernel port reads over rtnetlink and
 * libnftables must print like {@code ip} and {@code nft} themselves (compared line by line with their output).
 */
@Tag("kernel")
class NetworkDumpTest {

    @Test
    void printsWhatIpAndNftPrint() {
        try (TestNetns ns = TestNetns.create("internal")) {
            ns.exec("ip", "link", "set", "lo", "up");
            ns.exec("ip", "link", "add", "wan1", "type", "veth", "peer", "name", "wan1-p");
            ns.exec("ip", "link", "set", "wan1", "up");
            ns.exec("ip", "link", "set", "wan1-p", "up");
            ns.exec("ip", "addr", "add", "192.0.2.2/26", "dev", "wan1");
            ns.exec("ip", "-6", "addr", "add", "2001:db8:1::2/64", "dev", "wan1", "nodad");
            ns.exec("ip", "route", "add", "default", "via", "192.0.2.1", "dev", "wan1", "metric", "10");
            ns.exec("ip", "route", "add", "default", "via", "192.0.2.1", "dev", "wan1", "table", "1");
            ns.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1", "dev", "wan1", "proto", "static", "table", "1");
            ns.exec("ip", "route", "add", "unreachable", "203.0.113.0/24", "table", "7");
            ns.exec("ip", "rule", "add", "pref", "1001", "iif", "wan1", "lookup", "1");
            ns.exec("ip", "rule", "add", "pref", "2001", "fwmark", "0x100/0x3f00", "lookup", "1");
            ns.exec("ip", "rule", "add", "pref", "3001", "fwmark", "0x100/0x3f00", "unreachable");
            ns.exec("ip", "rule", "add", "pref", "2007", "fwmark", "0x700/0x3f00", "lookup", "7");
            ns.nft("""
                    table inet fw4 {
                    	set mwan4_connected_ipv4 { type ipv4_addr; flags interval; elements = { 192.0.2.0/26 } }
                    	set mwan4_connected_ipv6 { type ipv6_addr; flags interval; }
                    	chain mwan4_rules_ipv4 { ip daddr 198.51.100.0/24 counter comment "r"; }
                    	chain mwan4_rules_ipv6 { }
                    	chain mwan4_prerouting { type filter hook prerouting priority mangle; policy accept; }
                    	chain input { type filter hook input priority filter; policy accept; }
                    }
                    """);
            try (LinuxKernel kernel = LinuxKernel.open(ns.name(), NftRender::script, () -> List.of(1, 2))) {
                KernelDump v4 = kernel.dump(Family.IPV4);
                assertThat(v4.links()).extracting(KernelDump.Link::name).containsExactly("lo", "wan1");
                assertThat(v4.links().get(1).text()).matches("\\d+: wan1: <BROADCAST,MULTICAST,UP,LOWER_UP> state UP");
                assertThat(v4.links().get(1).addresses()).containsExactly(
                        new KernelDump.Address("192.0.2.2/26", "global", "inet 192.0.2.2/26 scope global wan1"));
                assertThat(v4.links().getFirst().addresses()).extracting(KernelDump.Address::text)
                        .containsExactly("inet 127.0.0.1/8 scope host lo");
                assertThat(v4.tables()).extracting(KernelDump.Table::name).containsExactly("main", "1", "2", "7");
                for (KernelDump.Table t : v4.tables()) {
                    // table 2 (configured, never filled) does not exist: ip refuses it, the dump shows it empty
                    List<String> ip = t.id() == 2 ? List.of() : lines(ns.exec("ip", "-4", "route", "show", "table", t.name()));
                    assertThat(t.routes()).as("ip -4 route show table %s", t.name()).containsExactlyElementsOf(ip);
                }
                assertThat(v4.rules()).extracting(KernelDump.Rule::text)
                        .containsExactlyElementsOf(lines(ns.exec("ip", "-4", "rule", "show")));
                assertThat(v4.rules()).filteredOn(KernelDump.Rule::ours).extracting(KernelDump.Rule::priority)
                        .containsExactly(1001, 2001, 2007, 3001);
                assertThat(v4.nft()).extracting(KernelDump.NftObject::name)
                        .containsExactly("mwan4_connected_ipv4", "mwan4_rules_ipv4", "mwan4_prerouting");
                assertThat(v4.nft().get(1).text()).isEqualTo("""
                        chain mwan4_rules_ipv4 {
                        	ip daddr 198.51.100.0/24 counter packets 0 bytes 0 comment "r"
                        }""");
                assertThat(v4.nft().getFirst().text()).contains("elements = { 192.0.2.0/26 }");

                KernelDump v6 = kernel.dump(Family.IPV6);
                assertThat(v6.links()).extracting(KernelDump.Link::name).contains("lo", "wan1");
                assertThat(v6.links()).filteredOn(l -> l.name().equals("wan1")).singleElement()
                        .satisfies(l -> assertThat(l.addresses()).extracting(KernelDump.Address::text)
                                .contains("inet6 2001:db8:1::2/64 scope global nodad"));
                // iproute2 adds "pref medium" to IPv6 routes, a detail mwan4 does not decode
                assertThat(v6.tables().getFirst().routes()).containsExactlyElementsOf(
                        lines(ns.exec("ip", "-6", "route", "show", "table", "main")).stream()
                                .map(l -> l.replace(" pref medium", "")).toList());
                assertThat(v6.rules()).extracting(KernelDump.Rule::text)
                        .containsExactlyElementsOf(lines(ns.exec("ip", "-6", "rule", "show")));
                assertThat(v6.nft()).extracting(KernelDump.NftObject::name)
                        .containsExactly("mwan4_connected_ipv6", "mwan4_rules_ipv6", "mwan4_prerouting");
            }
        }
    }

    @Test
    void aNamespaceWithoutFw4HasNoNftObjects() {
        try (TestNetns ns = TestNetns.create("internal-empty");
             LinuxKernel kernel = LinuxKernel.open(ns.name(), NftRender::script, List::of)) {
            KernelDump d = kernel.dump(Family.IPV4);
            assertThat(d.nft()).isEmpty();
            assertThat(d.tables()).extracting(KernelDump.Table::name).containsExactly("main");
            assertThat(d.rules()).extracting(KernelDump.Rule::text).contains("0:\tfrom all lookup local");
        }
    }

    private static List<String> lines(String out) {
        return Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
