package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/** The lab's layout, without root: names fit, addresses are documentation addresses, nothing overlaps. */
class TopologyTest {
    private static final List<Cidr> DOCUMENTATION = Stream.of("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
            .map(s -> Cidr.parse(s).orElseThrow()).toList();

    static IntStream ispCounts() {
        return IntStream.rangeClosed(1, Topology.MAX_ISPS);
    }

    @ParameterizedTest(name = "{0} ISPs")
    @MethodSource("ispCounts")
    void everyAddressTheScriptsUseIsADocumentationAddress(int isps) {
        Topology t = Topology.of("mwan4t-abcdef", isps, Topology.MAX_LAN_HOSTS, Topology.MAX_TARGETS);
        LabScripts s = new LabScripts(t);
        List<String> text = new ArrayList<>(s.routerConfig());
        text.addAll(s.lanConfig());
        text.addAll(s.internetConfig());
        t.isps().forEach(i -> text.addAll(s.ispConfig(i)));
        text.add(s.routerNft());
        t.isps().forEach(i -> text.add(s.ispNft(i)));
        Matcher m = Pattern.compile("[0-9a-f:.]*[.:][0-9a-f:.]+").matcher(String.join("\n", text));
        int seen = 0;
        while (m.find()) {
            var ip = IpAddress.parse(m.group());
            if (ip.isPresent() && !ip.get().isLinkLocal() && !m.group().equals("::")) {
                seen++;
                assertThat(DOCUMENTATION).as("%s is a documentation address", m.group()).anyMatch(c -> c.contains(ip.get()));
            }
        }
        assertThat(seen).isGreaterThan(20 * isps);
    }

    @ParameterizedTest(name = "{0} ISPs")
    @MethodSource("ispCounts")
    void devicesFitIfnamsizAndNamespacesCarryTheLabId(int isps) {
        Topology t = Topology.of("mwan4t-abcdef", isps, 1, 1);
        LabScripts s = new LabScripts(t);
        List<String> lines = new ArrayList<>(s.routerLinks());
        t.isps().forEach(i -> lines.addAll(s.ispLinks(i)));
        Matcher m = Pattern.compile("link add (\\S+) type veth peer name (\\S+) netns (\\S+)").matcher(String.join("\n", lines));
        int links = 0;
        while (m.find()) {
            links++;
            assertThat(m.group(1).length()).isLessThanOrEqualTo(15); // IFNAMSIZ - 1, linux/if.h
            assertThat(m.group(2).length()).isLessThanOrEqualTo(15);
            assertThat(t.namespaces()).contains(m.group(3));
        }
        assertThat(links).isEqualTo(1 + 2 * isps);
        assertThat(t.namespaces()).hasSize(3 + isps).doesNotHaveDuplicates().allMatch(n -> n.startsWith("mwan4t-abcdef-"));
    }

    @ParameterizedTest(name = "{0} ISPs")
    @MethodSource("ispCounts")
    void subnetsNeverOverlapAndSourcesMapToTheirIsp(int isps) {
        Topology t = Topology.of("mwan4t-abcdef", isps, 4, 2);
        List<Cidr> nets = new ArrayList<>();
        nets.add(t.lan().router4().network());
        nets.add(t.lan().router6().network());
        for (Topology.IspLink i : t.isps()) {
            for (Family f : Family.values()) {
                nets.add(i.customer(f));
                nets.add(i.upstream(f).network());
                assertThat(t.ispOfSource(i.routerAddress(f).address())).contains(i);
                assertThat(t.ispOfSource(i.upstream(f).address())).contains(i);
                assertThat(i.customer(f).contains(i.gateway(f))).isTrue();
            }
        }
        for (int a = 0; a < nets.size(); a++) {
            for (int b = a + 1; b < nets.size(); b++) {
                assertThat(nets.get(a).contains(nets.get(b).address()) || nets.get(b).contains(nets.get(a).address()))
                        .as("%s overlaps %s", nets.get(a), nets.get(b)).isFalse();
            }
        }
        Set<IpAddress> inet = new HashSet<>(t.internet().addresses());
        assertThat(inet).hasSize(2 + 2 * 2);
        inet.forEach(a -> assertThat(t.ispOfSource(a)).isEmpty());
        assertThat(t.ispOfSource(t.lan().client(Family.IPV4))).isEmpty();
        assertThat(t.isps()).extracting(Topology.IspLink::metric).isSorted().doesNotHaveDuplicates();
    }

    static Stream<Arguments> badSizes() {
        return Stream.of(
                Arguments.of("no ISP", 0, 1, 1),
                Arguments.of("too many ISPs", Topology.MAX_ISPS + 1, 1, 1),
                Arguments.of("no LAN host", 2, 0, 1),
                Arguments.of("no target", 2, 1, 0),
                Arguments.of("too many targets", 2, 1, Topology.MAX_TARGETS + 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSizes")
    void outOfRangeSizesAreRejectedWithTheValue(String name, int isps, int hosts, int targets) {
        assertThatThrownBy(() -> Topology.of("mwan4t-abcdef", isps, hosts, targets))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"MWAN4-", "mwan4", "a_b-", "waytoolongprefix-", ""})
    void badPrefixesAreRejected(String prefix) {
        assertThatThrownBy(() -> Lab.builder().prefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(prefix);
    }

    @ParameterizedTest(name = "ISP {0}")
    @ValueSource(ints = {1, 2, 8})
    void ispAddressesFollowTheDocumentedPattern(int k) {
        Topology.IspLink i = Topology.of("x-abcdef", 8, 1, 1).isp(k);
        assertThat(i.router4().toString()).isEqualTo("198.51.100." + (8 * k + 2) + "/29");
        assertThat(i.router6().toString()).isEqualTo("2001:db8:" + k + "::2/64");
        assertThat(i.upstream6().toString()).isEqualTo("2001:db8:10" + k + "::2/64");
        assertThat(i.wanDevice()).isEqualTo("wan" + k);
        assertThat(i.namespace()).isEqualTo("x-abcdef-isp" + k);
    }

    @org.junit.jupiter.api.Test
    void routerFirewallMasqueradesOutsideFw4AndLeavesFw4Empty() {
        String nft = new LabScripts(Topology.of("mwan4t-abcdef", 2, 1, 1)).routerNft();
        assertThat(nft).contains("table inet fw4 {\n}\n");
        assertThat(nft).containsSubsequence("table ip nat {", "oifname { \"wan1\", \"wan2\" } masquerade", "}\n}\n",
                "table ip6 nat {", "oifname { \"wan1\", \"wan2\" } masquerade");
    }

    @org.junit.jupiter.api.Test
    void describeNamesEveryNamespaceDeviceAndServer() {
        Topology t = Topology.of("mwan4d-123abc", 2, 1, 2);
        String text = LabDescription.of(t);
        t.namespaces().forEach(n -> assertThat(text).contains(n));
        assertThat(text).contains("wan1 198.51.100.10/29 2001:db8:1::2/64", "wan2 198.51.100.18/29",
                "203.0.113.200", "2001:db8:ffff::200", "TCP whoami :7000", "HTTP :80", "203.0.113.201", "2001:db8:ffff::202",
                "metric 10", "metric 20");
    }
}
