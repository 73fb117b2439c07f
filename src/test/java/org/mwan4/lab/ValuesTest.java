package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mwan4.config.IpAddress;

/** The small values the lab reports: whoami lines, link flags, tallies. */
class ValuesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"198.51.100.10 40312", "2001:db8:1::2 1", "203.0.113.9 65535"})
    void whoamiLineRoundTrips(String line) {
        assertThat(Whoami.parse(line).map(Whoami::line)).contains(line);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "198.51.100.10", "198.51.100.10 x", "host 80", "198.51.100.10 70000"})
    void whoamiGarbageIsEmpty(String line) {
        assertThat(Whoami.parse(line)).isEmpty();
    }

    @Test
    void mappedAddressesOfDualStackSocketsBecomeIpv4() throws Exception {
        InetAddress mapped = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 198, 51, 100, 10});
        assertThat(Whoami.unmapped(mapped)).isEqualTo(IpAddress.parse("198.51.100.10").orElseThrow());
        assertThat(Whoami.unmapped(InetAddress.ofLiteral("2001:db8::1")).toString()).isEqualTo("2001:db8::1");
    }

    static Stream<Arguments> links() {
        return Stream.of(
                Arguments.of("up with carrier", "2: wan1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT",
                        new Netns.LinkState("wan1", true, true, "UP")),
                Arguments.of("peer down", "2: wan1@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT",
                        new Netns.LinkState("wan1", true, false, "DOWN")),
                Arguments.of("admin down", "2: wan1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN",
                        new Netns.LinkState("wan1", false, false, "DOWN")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("links")
    void linkStateFromIpOneLine(String name, String line, Netns.LinkState expected) {
        assertThat(Netns.LinkState.parse("wan1", line)).isEqualTo(expected);
    }

    @Test
    void tallySharesCountAnsweredConnectionsOnly() {
        Tally t = new Tally(new TreeMap<>(Map.of("wan2", 25, "wan1", 75)), 0, 10, List.of("timeout"));
        assertThat(t.share("wan1")).isEqualTo(0.75);
        assertThat(t.share("wan3")).isZero();
        assertThat(t.total()).isEqualTo(110);
        assertThat(t.toString()).startsWith("wan1=75 (75.0 %) wan2=25 (25.0 %) unknown=0 failed=10");
        assertThat(new Tally(new TreeMap<>(), 0, 3, List.of()).share("wan1")).isZero();
    }

    @Test
    void pingResultStatistics() {
        PingResult r = new PingResult(4, 2, List.of(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(30)));
        assertThat(r.lossPercent()).isEqualTo(50.0);
        assertThat(r.average()).isEqualTo(java.time.Duration.ofMillis(20));
        assertThat(r.min()).isEqualTo(java.time.Duration.ofMillis(10));
        assertThat(r.max()).isEqualTo(java.time.Duration.ofMillis(30));
        assertThat(Optional.of(r.toString())).hasValueSatisfying(s -> assertThat(s).contains("50.0 % loss"));
    }
}
