package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.RouteFact;

/** rtnetlink message in, core event out (or none), stamped with the instant the edge passes. */
class RtnlEventsTest {
    static final Instant AT = Instant.parse("2025-03-04T05:06:07Z");

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    static NlMessage m(int type, NlPayload p) {
        return new NlMessage(new NlHeader(type, 0, 0, 0), p);
    }

    static Stream<Arguments> cases() {
        int up = LinkMessage.IFF_UP | LinkMessage.IFF_LOWER_UP;
        return Stream.of(
                Arguments.of("link up with carrier",
                        m(16, new LinkMessage(0, 1, 3, up, 0, "wan", 6, 1)),
                        Optional.of(new Event.LinkChanged(AT, 3, "wan", true, true, "UP"))),
                Arguments.of("link admin up, no carrier",
                        m(16, new LinkMessage(0, 1, 3, LinkMessage.IFF_UP, 0, "wan", 2, 0)),
                        Optional.of(new Event.LinkChanged(AT, 3, "wan", true, false, "DOWN"))),
                Arguments.of("link without IFLA_CARRIER uses IFF_LOWER_UP",
                        m(16, new LinkMessage(0, 1, 3, up, 0, "wan", 5, null)),
                        Optional.of(new Event.LinkChanged(AT, 3, "wan", true, true, "DORMANT"))),
                Arguments.of("link operstate lowerlayerdown",
                        m(16, new LinkMessage(0, 1, 4, LinkMessage.IFF_UP, 0, "wanb", 3, 0)),
                        Optional.of(new Event.LinkChanged(AT, 4, "wanb", true, false, "LOWERLAYERDOWN"))),
                Arguments.of("link removed",
                        m(17, new LinkMessage(0, 1, 3, 0, 0, "wan", 2, 0)),
                        Optional.of(new Event.LinkRemoved(AT, 3, "wan"))),
                Arguments.of("bridge port notice is not a link change",
                        m(17, new LinkMessage(7, 1, 3, 0, 0, "wan", null, null)), Optional.empty()),
                Arguments.of("ipv4 address uses IFA_LOCAL",
                        m(20, new AddressMessage(2, 32, 0, 0, 9, ip("198.51.100.1"), ip("203.0.113.7"), null)),
                        Optional.of(new Event.AddressAdded(AT, 9, cidr("203.0.113.7/32")))),
                Arguments.of("ipv6 address keeps its host part",
                        m(20, new AddressMessage(10, 64, 0, 0, 4, ip("2001:db8::5"), null, null)),
                        Optional.of(new Event.AddressAdded(AT, 4, cidr("2001:db8::5/64")))),
                Arguments.of("address removed",
                        m(21, new AddressMessage(2, 24, 0, 0, 4, ip("192.0.2.5"), ip("192.0.2.5"), "wan")),
                        Optional.of(new Event.AddressRemoved(AT, 4, cidr("192.0.2.5/24")))),
                Arguments.of("address without any address",
                        m(20, new AddressMessage(2, 24, 0, 0, 4, null, null, null)), Optional.empty()),
                Arguments.of("ipv4 default route in table 1",
                        m(24, new RouteMessage(2, 0, 0, 0, 1, 4, 0, 1, 0, null, null, ip("192.0.2.1"), 3, 10, null)),
                        Optional.of(new Event.RouteAdded(AT, new RouteFact(1, Family.IPV4, cidr("0.0.0.0/0"), ip("192.0.2.1"), 3, 10,
                                "unicast", 4, 0, null, null)))),
                Arguments.of("local route in the local table",
                        m(24, new RouteMessage(2, 32, 0, 0, 255, 2, 254, 2, 0, ip("192.0.2.5"), null, null, 3, 0, ip("192.0.2.5"))),
                        Optional.of(new Event.RouteAdded(AT, new RouteFact(255, Family.IPV4, cidr("192.0.2.5/32"), null, 3, 0,
                                "local", 2, 254, null, ip("192.0.2.5"))))),
                Arguments.of("blackhole in table 1000",
                        m(24, new RouteMessage(2, 24, 0, 0, 1000, 4, 0, 6, 0, ip("198.51.100.0"), null, null, 0, 0, null)),
                        Optional.of(new Event.RouteAdded(AT, new RouteFact(1000, Family.IPV4, cidr("198.51.100.0/24"), null, 0, 0,
                                "blackhole", 4, 0, null, null)))),
                Arguments.of("ipv6 source route removed",
                        m(25, new RouteMessage(10, 48, 56, 0, 7, 4, 0, 1, 0, ip("2001:db8:1::"), ip("2001:db8:2::"), ip("fe80::1"), 5, 1024, null)),
                        Optional.of(new Event.RouteRemoved(AT, new RouteFact(7, Family.IPV6, cidr("2001:db8:1::/48"), ip("fe80::1"), 5, 1024,
                                "unicast", 4, 0, cidr("2001:db8:2::/56"), null)))),
                Arguments.of("cloned (cache) route is not a route",
                        m(24, new RouteMessage(10, 128, 0, 0, 254, 0, 0, 1, RouteMessage.RTM_F_CLONED, ip("2001:db8::9"), null, null, 3, 0, null)),
                        Optional.empty()),
                Arguments.of("multicast routing family is ignored",
                        m(24, new RouteMessage(128, 32, 32, 0, 254, 17, 0, 5, 0, ip("192.0.2.1"), ip("192.0.2.2"), null, 0, 0, null)),
                        Optional.empty()),
                Arguments.of("rules are not core events",
                        m(32, new RuleMessage(2, 0, 0, 0, 1, 1, 0, 2001, 0x100, 0x3f00, null, null, null, null, 0)), Optional.empty()),
                Arguments.of("done is not an event", m(3, new NlPayload.Done(0)), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void maps(String name, NlMessage in, Optional<Event> out) {
        assertThat(RtnlEvents.toEvent(in, AT)).isEqualTo(out);
    }

    @ParameterizedTest(name = "RTN {0} is {1}")
    @CsvSource({"0,none", "1,unicast", "2,local", "3,broadcast", "4,anycast", "5,multicast", "6,blackhole", "7,unreachable",
            "8,prohibit", "9,throw", "10,nat", "11,xresolve", "42,42"})
    void routeTypesAreSpelledAsIproute2Prints(int code, String name) {
        assertThat(RouteMessage.typeName(code)).isEqualTo(name);
        if (code < 12) {
            assertThat(RouteMessage.typeCode(name)).contains(code);
        }
    }
}
