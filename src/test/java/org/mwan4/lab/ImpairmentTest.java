package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.IpAddress;

/** The nft text of impairments, as tables: state in, exact transaction out. */
class ImpairmentTest {
    private static final IpAddress T4 = IpAddress.parse("203.0.113.201").orElseThrow();
    private static final IpAddress T6 = IpAddress.parse("2001:db8:ffff::201").orElseThrow();
    private static final String FLUSH = "flush chain inet mwan4lab impair\n";

    static Stream<Arguments> isp() {
        return Stream.of(
                Arguments.of("nothing", IspImpairment.NONE, FLUSH),
                Arguments.of("40 % loss", IspImpairment.NONE.withLoss(40), FLUSH
                        + "add rule inet mwan4lab impair icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
                        + "add rule inet mwan4lab impair numgen random mod 100 < 40 drop\n"),
                Arguments.of("blackholes, both families", IspImpairment.NONE.withBlackhole(T6, true).withBlackhole(T4, true), FLUSH
                        + "add rule inet mwan4lab impair ip daddr 203.0.113.201 drop\n"
                        + "add rule inet mwan4lab impair ip6 daddr 2001:db8:ffff::201 drop\n"),
                Arguments.of("blackhole undone", IspImpairment.NONE.withBlackhole(T4, true).withBlackhole(T4, false), FLUSH),
                Arguments.of("loss back to 0", IspImpairment.NONE.withLoss(5).withLoss(0), FLUSH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isp")
    void ispImpairmentRendersOneTransaction(String name, IspImpairment state, String nft) {
        assertThat(state.render()).isEqualTo(nft);
    }

    @Test
    void lossOutsidePercentIsRejected() {
        assertThatThrownBy(() -> IspImpairment.NONE.withLoss(101)).hasMessageContaining("101");
        assertThatThrownBy(() -> IspImpairment.NONE.withLoss(-1)).hasMessageContaining("-1");
    }

    static Stream<Arguments> internet() {
        String flush = "flush chain inet mwan4lab prerouting\nflush chain inet mwan4lab output\n";
        return Stream.of(
                Arguments.of("nothing", InternetImpairment.NONE, flush),
                Arguments.of("delay on ISP 2", InternetImpairment.NONE.withDelay(2, Duration.ofMillis(150)), flush
                        + "add rule inet mwan4lab output oifname \"isp2\" icmp type echo-reply meta mark != 0x4d57 drop\n"
                        + "add rule inet mwan4lab output oifname \"isp2\" icmpv6 type echo-reply meta mark != 0x4d57 drop\n"),
                Arguments.of("delay set back to zero", InternetImpairment.NONE.withDelay(1, Duration.ofMillis(9)).withDelay(1, Duration.ZERO), flush),
                Arguments.of("blackholed target", InternetImpairment.NONE.withBlackhole(T4, true), flush
                        + "add rule inet mwan4lab prerouting ip daddr 203.0.113.201 drop\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("internet")
    void internetImpairmentRendersOneTransaction(String name, InternetImpairment state, String nft) {
        assertThat(state.render(Topology.of("mwan4t-abcdef", 2, 1, 1))).isEqualTo(nft);
    }

    @Test
    void delayIsPerIspAndZeroMeansNone() {
        InternetImpairment i = InternetImpairment.NONE.withDelay(2, Duration.ofMillis(150));
        assertThat(i.delay(2)).isEqualTo(Duration.ofMillis(150));
        assertThat(i.delay(1)).isZero();
        assertThat(i.withDelay(2, Duration.ZERO).delays()).isEmpty();
        assertThatThrownBy(() -> i.withDelay(1, Duration.ofMillis(-1))).hasMessageContaining("negative");
    }
}
