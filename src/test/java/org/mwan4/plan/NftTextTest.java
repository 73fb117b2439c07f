package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Marks;
import org.mwan4.config.PortRange;

/**
 * The exact text nft 1.0.6 lists for what we write (each expected value was read from {@code nft list} on this
 * kernel; {@link NftKernelTest} re-checks whole rulesets).
 */
class NftTextTest {

    @ParameterizedTest(name = "mask {0} set {1}")
    @CsvSource({
        "0x3F00, 0x100,  meta mark set meta mark & 0xffffc1ff | 0x00000100",
        "0x3F00, 0x3e00, meta mark set meta mark & 0xfffffeff | 0x00003e00",
        "0x3F00, 0x3d00, meta mark set meta mark & 0xfffffdff | 0x00003d00",
        "0x3F00, 0x3f00, meta mark set meta mark | 0x00003f00",
        "0xFF00, 0xff00, meta mark set meta mark | 0x0000ff00",
        "0xFF00, 0x200,  meta mark set meta mark & 0xffff02ff | 0x00000200",
    })
    void markStatementsAsNftPrintsThem(String mask, String mark, String expected) {
        assertThat(new MarkText(new Marks(Integer.decode(mask))).set(Integer.decode(mark))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.5/24                              | 192.0.2.0/24",
        "192.0.2.0/25 192.0.2.128/25               | { 192.0.2.0/24 }",
        "192.0.2.0/24 192.0.3.0/25                 | { 192.0.2.0-192.0.3.127 }",
        "192.0.2.7 192.0.2.0/24                    | { 192.0.2.0/24 }",
        "192.0.2.7 192.0.2.8                       | { 192.0.2.7, 192.0.2.8 }",
        "192.0.2.8 192.0.2.7 192.0.2.9             | { 192.0.2.7, 192.0.2.8, 192.0.2.9 }",
        "192.0.2.7 192.0.2.8 192.0.2.10/31         | { 192.0.2.7-192.0.2.8, 192.0.2.10/31 }",
        "192.0.2.6/31 192.0.2.8                    | { 192.0.2.6-192.0.2.8 }",
        "192.0.2.0/25 192.0.2.128/26 10.0.0.1      | { 10.0.0.1, 192.0.2.0-192.0.2.191 }",
        "0.0.0.0/1 128.0.0.0/1                     | { 0.0.0.0/0 }",
        "2001:db8::/33 2001:db8:8000::/33 2001:db8::1 | { 2001:db8::/32 }",
        "2001:db8::1 2001:db8:1::/48               | { 2001:db8::1, 2001:db8:1::/48 }",
    })
    void addressListsAsNftPrintsThem(String in, String expected) {
        List<Cidr> list = Arrays.stream(in.strip().split(" +")).map(TestStates::cidr).toList();
        assertThat(SetLiteral.addresses(list)).isEqualTo(expected.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "443               | 443",
        "443 80            | { 80, 443 }",
        "80 81 443         | { 80, 81, 443 }",
        "1000-2000 1500-2500 | { 1000-2500 }",
        "1000-2000 2001    | { 1000-2001 }",
        "999 1000-2000     | { 999-2000 }",
        "80 81 82-90       | { 80-90 }",
        "0-65535           | 0-65535",
    })
    void portListsAsNftPrintsThem(String in, String expected) {
        List<PortRange> list = Arrays.stream(in.strip().split(" +")).map(TestStates::port).toList();
        assertThat(SetLiteral.ports(list)).isEqualTo(expected.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "47        | gre",
        "icmpv6    | ipv6-icmp",
        "TCP       | tcp",
        "200       | 200",
        "256       | ",
        "frobnicate| ",
    })
    void protocolsAsNftPrintsThem(String in, String expected) {
        assertThat(Protocols.nftName(in.strip()).orElse(null)).isEqualTo(expected == null ? null : expected.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "warning | ''",
        "warn    | ''",
        "error   | ' level err'",
        "notice  | ' level notice'",
        "info    | ' level info'",
        "bogus   | ' level notice'",
    })
    void logLevelsAsNftPrintsThem(String uci, String expected) {
        assertThat(UserRules.logLevel(uci.strip())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "10.1.0.0/16 10.0.0.0/8 192.0.2.5/24 192.0.2.0/25 | 10.0.0.0/8 192.0.2.0/24",
        "192.0.2.0/25 192.0.2.128/25                        | 192.0.2.0/25 192.0.2.128/25",
        "2001:db8::/32 2001:db8:1::/48 ff00::/8             | 2001:db8::/32 ff00::/8",
    })
    void setElementsAreDisjointNetworks(String in, String expected) {
        List<Cidr> list = Arrays.stream(in.strip().split(" +")).map(TestStates::cidr).toList();
        assertThat(Prefixes.normalize(list)).extracting(Object::toString).containsExactly(expected.strip().split(" +"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wan                     | wan",
        "wan-2.4                 | wan_2_4",
        "x\" accept; flush       | x__accept__flush",
    })
    void namesReduceToWordCharacters(String in, String expected) {
        assertThat(NftText.namePart(in.strip())).isEqualTo(expected.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "eth0.2    | true",
        "pppoe-wan | true",
        "lan@eth0  | true",
        "eth*      | false",
        "'eth0\"'  | false",
        "'a b'     | false",
        "abcdefghijklmnop | false",
    })
    void onlySafeDeviceNamesAreQuoted(String dev, boolean ok) {
        assertThat(NftText.device(dev).isPresent()).isEqualTo(ok);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "meta mark & 0x00003f00 == 0x00000000 jump mwan4_a comment \"jump b @c\"  | mwan4_a | ",
        "ip saddr @mwan4_s0 accept                                               |         | mwan4_s0",
        "iifname \"lan@eth0\" update @mwan4_x { ip saddr . meta mark }            |         | mwan4_x",
    })
    void referencesIgnoreQuotedText(String rule, String jump, String set) {
        assertThat(References.jumps(List.of(rule.strip()))).containsExactlyElementsOf(jump == null ? List.of() : List.of(jump.strip()));
        assertThat(References.sets(List.of(rule.strip()))).containsExactlyElementsOf(set == null ? List.of() : List.of(set.strip()));
    }
}
