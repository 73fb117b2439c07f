package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.IpAddress;

class AddressRangesTest {

    @ParameterizedTest(name = "{0}-{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.0      | 192.0.2.255      | 192.0.2.0/24",
        "192.0.2.7      | 192.0.2.7        | 192.0.2.7",
        "198.51.100.0   | 198.51.100.64    | 198.51.100.0/26 198.51.100.64",
        "203.0.113.10   | 203.0.113.20     | 203.0.113.10/31 203.0.113.12/30 203.0.113.16/30 203.0.113.20",
        "0.0.0.0        | 255.255.255.255  | 0.0.0.0/0",
        "192.0.2.255    | 198.51.100.0     | 192.0.2.255 192.0.3.0/24 192.0.4.0/22 192.0.8.0/21 192.0.16.0/20 192.0.32.0/19 192.0.64.0/18 192.0.128.0/17 192.1.0.0/16 192.2.0.0/15 192.4.0.0/14 192.8.0.0/13 192.16.0.0/12 192.32.0.0/11 192.64.0.0/10 192.128.0.0/9 193.0.0.0/8 194.0.0.0/7 196.0.0.0/7 198.0.0.0/11 198.32.0.0/12 198.48.0.0/15 198.50.0.0/16 198.51.0.0/18 198.51.64.0/19 198.51.96.0/22 198.51.100.0",
        "2001:db8::     | 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | 2001:db8::/32",
        "2001:db8::1    | 2001:db8::2      | 2001:db8::1 2001:db8::2",
        "::             | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ::/0",
    })
    void rangeBecomesTheFewestPrefixes(String first, String last, String expected) {
        List<Cidr> got = AddressRanges.prefixes(ip(first), ip(last));
        assertThat(got).containsExactlyElementsOf(cidrs(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "192.0.2.0/25 192.0.2.128/25        | 192.0.2.0/24",
        "192.0.2.0/24 192.0.2.5             | 192.0.2.0/24",
        "192.0.2.5/24                        | 192.0.2.0/24",
        "198.51.100.0/26 198.51.100.64      | 198.51.100.0/26 198.51.100.64",
        "198.51.100.1 198.51.100.3          | 198.51.100.1 198.51.100.3",
        "198.51.100.1 198.51.100.2          | 198.51.100.1 198.51.100.2",
        "2001:db8::/33 2001:db8:8000::/33 192.0.2.1 | 192.0.2.1 2001:db8::/32",
    })
    void canonicalIsWhatAnAutoMergeSetReadsBackAs(String in, String expected) {
        assertThat(AddressRanges.canonical(cidrs(in))).containsExactlyElementsOf(cidrs(expected));
    }

    @Test
    void roundTripOfAPrefixIsItself() {
        for (int len = 0; len <= 128; len += 7) {
            Cidr c = new Cidr(ip("2001:db8::").masked(Math.min(len, 128)), len);
            IpAddress last = lastOf(c);
            assertThat(AddressRanges.prefixes(c.address(), last)).containsExactly(c);
        }
    }

    @Test
    void rejectsBackwardsAndMixedRanges() {
        assertThatThrownBy(() -> AddressRanges.prefixes(ip("192.0.2.9"), ip("192.0.2.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("192.0.2.9-192.0.2.1");
        assertThatThrownBy(() -> AddressRanges.prefixes(ip("192.0.2.1"), ip("2001:db8::1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static IpAddress lastOf(Cidr c) {
        byte[] b = c.address().bytes();
        int host = c.address().bits() - c.prefix();
        for (int i = b.length - 1; i >= 0 && host > 0; i--, host -= 8) {
            b[i] |= (byte) (host >= 8 ? 0xFF : (1 << host) - 1);
        }
        return IpAddress.of(b);
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s.strip()).orElseThrow();
    }

    private static List<Cidr> cidrs(String s) {
        return Arrays.stream(s.strip().split("\\s+")).map(x -> Cidr.parse(x).orElseThrow()).toList();
    }
}
