package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mwan4.kernel.nft.NftFixtures.cidrs;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.plan.NftSet;

/**
 * The direct nf_tables element path against the real kernel: what it writes reads back through {@link NftReader}
 * and lists in {@code nft list set} exactly like the same elements added by nft itself.
 */
@Tag("kernel")
class SetElementChannelTest {
    private static final Family V4 = Family.IPV4;
    private static final Family V6 = Family.IPV6;

    private NftNetns lab;

    @BeforeEach
    void open() {
        lab = NftNetns.open("knft-el");
        lab.ns().nft("""
                add table inet fw4
                add set inet fw4 mwan4_connected_ipv4 { type ipv4_addr; flags interval; }
                add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }
                add set inet fw4 mwan4_custom_ipv4 { type ipv4_addr; flags interval; }
                add set inet fw4 mwan4_custom_ipv6 { type ipv6_addr; flags interval; }
                """);
    }

    @AfterEach
    void close() {
        if (lab != null) {
            lab.close();
        }
    }

    static Stream<Arguments> prefixes() {
        return Stream.of(
                Arguments.of("ipv4 prefixes, adjacent ones, a host, the multicast block", V4,
                        cidrs("192.0.2.0/25", "192.0.2.128/25", "198.51.100.7", "203.0.113.64/26", "224.0.0.0/3")),
                Arguments.of("ipv4 default", V4, cidrs("0.0.0.0/0")),
                Arguments.of("first and last ipv4 address", V4, cidrs("0.0.0.0", "255.255.255.255")),
                Arguments.of("ipv6 prefixes, adjacent hosts, multicast", V6,
                        cidrs("2001:db8::/48", "2001:db8:1::5", "2001:db8:1::6", "2001:db8:ffff::/64", "ff00::/8")),
                Arguments.of("ipv6 default", V6, cidrs("::/0")),
                Arguments.of("first and last ipv6 address", V6, cidrs("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prefixes")
    void directElementsReadBackAndListLikeNftsOwn(String name, Family family, SortedSet<Cidr> prefixes) {
        String direct = "mwan4_connected_" + family.id();
        String viaNft = "mwan4_custom_" + family.id();

        lab.nft().applyElements(direct, family, prefixes, new TreeSet<>());
        lab.ns().nft(NftFixtures.addElements(viaNft, prefixes));

        NftSet read = lab.reader().read().sets().get(direct);
        assertThat(read.elements()).isEqualTo(prefixes);
        assertThat(lab.ns().exec("nft", "list", "set", "inet", "fw4", direct))
                .isEqualTo(lab.ns().exec("nft", "list", "set", "inet", "fw4", viaNft).replace(viaNft, direct));
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                Arguments.of("192.0.2.1, in the first of two adjacent halves", "192.0.2.1", true),
                Arguments.of("192.0.2.200, in the second half", "192.0.2.200", true),
                Arguments.of("198.51.100.7, the host", "198.51.100.7", true),
                Arguments.of("198.51.100.8, right after the host", "198.51.100.8", false),
                Arguments.of("203.0.113.1, in no prefix", "203.0.113.1", false),
                Arguments.of("250.0.0.1, in the range open to the end", "250.0.0.1", true),
                Arguments.of("2001:db8::1, in an ipv6 prefix", "2001:db8::1", true),
                Arguments.of("2001:db9::1, in no ipv6 prefix", "2001:db9::1", false),
                Arguments.of("8000::1, in the ipv6 range open to the end", "8000::1", true));
    }

    /** The kernel's own lookups (not just listings) match what the direct path wrote, without nft's "first segment". */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void packetsMatchTheDirectElements(String name, String address, boolean match) {
        lab.nft().applyElements(List.of(
                SetElements.add("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/25", "192.0.2.128/25", "198.51.100.7", "240.0.0.0/4")),
                SetElements.add("mwan4_connected_ipv6", V6, cidrs("2001:db8::/48", "8000::/1"))));
        lab.ns().exec("ip", "route", "add", "default", "dev", "lo");
        lab.ns().exec("ip", "-6", "route", "add", "default", "dev", "lo");
        lab.ns().nft("""
                add chain inet fw4 out { type filter hook output priority filter; policy accept; }
                add rule inet fw4 out ip daddr @mwan4_connected_ipv4 counter
                add rule inet fw4 out ip6 daddr @mwan4_connected_ipv6 counter
                """);

        lab.thread().call(() -> { // a socket opened on the namespace thread sends from inside the namespace
            try (DatagramChannel udp = DatagramChannel.open()) {
                udp.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(InetAddress.ofLiteral(address), 9));
            }
            return null;
        });
        long matched = Pattern.compile("counter packets (\\d+)").matcher(lab.ns().exec("nft", "list", "chain", "inet", "fw4", "out"))
                .results().mapToLong(r -> Long.parseLong(r.group(1))).sum();
        assertThat(matched).isEqualTo(match ? 1 : 0);
    }

    @Test
    void deletesAndAddsInOneStepAndMixWithNftsOwnChanges() {
        lab.nft().applyElements("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24", "198.51.100.0/25", "224.0.0.0/3"), cidrs());
        // route churn: one prefix replaced by its two halves, one gone, one new
        lab.nft().applyElements("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/25", "192.0.2.128/25", "203.0.113.7"),
                cidrs("192.0.2.0/24", "198.51.100.0/25"));
        assertThat(elements("mwan4_connected_ipv4")).isEqualTo(cidrs("192.0.2.0/25", "192.0.2.128/25", "203.0.113.7", "224.0.0.0/3"));

        // nft deletes what we added, we delete what nft added
        lab.ns().nft("delete element inet fw4 mwan4_connected_ipv4 { 203.0.113.7, 224.0.0.0/3 }");
        lab.ns().nft("add element inet fw4 mwan4_connected_ipv4 { 198.51.100.64/26 }");
        lab.nft().applyElements("mwan4_connected_ipv4", V4, cidrs(), cidrs("198.51.100.64/26", "192.0.2.0/25"));
        assertThat(elements("mwan4_connected_ipv4")).isEqualTo(cidrs("192.0.2.128/25"));
        assertThat(lab.ns().exec("nft", "list", "set", "inet", "fw4", "mwan4_connected_ipv4")).contains("elements = { 192.0.2.128/25 }");
    }

    @Test
    void anOverlapIsRefusedNamingTheElementAndNothingChanges() {
        lab.nft().applyElements("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24"), cidrs());
        lab.nft().applyElements("mwan4_connected_ipv6", V6, cidrs("2001:db8::/48"), cidrs());

        assertThatThrownBy(() -> lab.nft().applyElements(List.of(
                new SetElements("mwan4_connected_ipv6", V6, cidrs("2001:db8:1::/48"), cidrs("2001:db8::/48")),
                SetElements.add("mwan4_connected_ipv4", V4, cidrs("192.0.2.128/25", "203.0.113.0/24")))))
                .isInstanceOfSatisfying(NftException.class, e -> assertThat(e.op()).isEqualTo(1))
                .hasMessageContaining("nf_tables rejected change 2 of 2 (add element inet fw4 mwan4_connected_ipv4 { 192.0.2.128/25 ... 203.0.113.0/24 })")
                .hasMessageContaining(" at 192.0.2.128/25 (")
                .hasMessageContaining("File exists")
                .hasMessageContaining("the whole batch (3 prefixes added, 1 deleted in 2 set change(s)) was rolled back, the sets are unchanged");
        assertThat(elements("mwan4_connected_ipv4")).isEqualTo(cidrs("192.0.2.0/24"));
        assertThat(elements("mwan4_connected_ipv6")).isEqualTo(cidrs("2001:db8::/48"));
    }

    @Test
    void deletingAMissingElementOrTouchingAMissingSetIsRefused() {
        lab.nft().applyElements("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24"), cidrs());

        assertThatThrownBy(() -> lab.nft().applyElements("mwan4_connected_ipv4", V4, cidrs(), cidrs("192.0.2.0/25")))
                .isInstanceOf(NftException.class)
                .hasMessageContaining("(delete element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/25 }) at 192.0.2.0/25 (")
                .hasMessageContaining("No such file or directory")
                .hasMessageContaining("the set has no such element");
        assertThatThrownBy(() -> lab.nft().applyElements("mwan4_connected_nope", V4, cidrs("192.0.2.0/24"), cidrs()))
                .isInstanceOf(NftException.class)
                .hasMessageContaining("table inet fw4 or set mwan4_connected_nope does not exist");
        assertThat(elements("mwan4_connected_ipv4")).isEqualTo(cidrs("192.0.2.0/24"));
    }

    @Test
    void theChannelWorksOnItsOwnAndAfterARefusedBatch() {
        try (SetElementChannel channel = SetElementChannel.open(lab.thread())) {
            assertThatThrownBy(() -> channel.apply(List.of(SetElements.add("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24", "192.0.2.0/25")))))
                    .isInstanceOf(NftException.class).hasMessageContaining("192.0.2.0/25");
            channel.apply(List.of(SetElements.add("mwan4_connected_ipv4", V4, cidrs("192.0.2.0/24"))));
            channel.apply(List.of());
        }
        assertThat(elements("mwan4_connected_ipv4")).isEqualTo(cidrs("192.0.2.0/24"));
    }

    @Test
    void hundredThousandPrefixesInOneBatchThenTenChanged() {
        TreeSet<Cidr> many = new TreeSet<>(NftFixtures.manyPrefixes(100_000));
        lab.nft().applyElements("mwan4_connected_ipv6", V6, many, new TreeSet<>());
        assertThat(elements("mwan4_connected_ipv6")).isEqualTo(many);

        TreeSet<Cidr> gone = new TreeSet<>(many.stream().limit(10).toList());
        TreeSet<Cidr> fresh = new TreeSet<>(NftFixtures.manyPrefixes(100_010).subList(100_000, 100_010));
        lab.nft().applyElements("mwan4_connected_ipv6", V6, fresh, gone);
        TreeSet<Cidr> expected = new TreeSet<>(many);
        expected.removeAll(gone);
        expected.addAll(fresh);
        assertThat(elements("mwan4_connected_ipv6")).isEqualTo(expected);
    }

    private SortedSet<Cidr> elements(String set) {
        return lab.reader().read().sets().get(set).elements();
    }
}
