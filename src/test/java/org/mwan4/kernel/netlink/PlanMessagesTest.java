package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.Op;

/** Plan values to rtnetlink bodies and back, and the ip command of each op. */
class PlanMessagesTest {
    static final Map<Integer, String> DEVICES = Map.of(1, "lo", 3, "wan", 4, "wanb");

    static IpRoute route(int table, String dst, String type, String via, String dev, int metric, String from, String src, int proto, int scope) {
        return new IpRoute(table, Cidr.parse(dst).orElseThrow(), type, via == null ? null : IpAddress.parse(via).orElseThrow(), dev, metric,
                from == null ? null : Cidr.parse(from).orElseThrow(), src == null ? null : IpAddress.parse(src).orElseThrow(), proto, scope);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("iif lookup", new IpRule(Family.IPV4, 1001, "wan", 0, 0, IpRule.Action.LOOKUP, 1)),
                Arguments.of("fwmark lookup", new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 1)),
                Arguments.of("lookup a table over 255", new IpRule(Family.IPV6, 2002, "", 0x200, 0x3f00, IpRule.Action.LOOKUP, 4000)),
                Arguments.of("unreachable", new IpRule(Family.IPV6, 3001, "", 0x100, 0x3f00, IpRule.Action.UNREACHABLE, 0)),
                Arguments.of("blackhole", new IpRule(Family.IPV4, 2061, "", 0x3d00, 0x3f00, IpRule.Action.BLACKHOLE, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleRoundTrip(String name, IpRule r) {
        RuleMessage m = PlanMessages.rule(r);
        assertThat(PlanMessages.ipRule(m)).contains(r);
        NlMessage wire = new NlMessage(NlHeader.request(RuleMessage.RTM_NEWRULE, 0, 1), m);
        assertThat(NlCodec.decode(NlCodec.encode(wire))).containsExactly(wire);
    }

    static Stream<Arguments> foreignRules() {
        return Stream.of(
                Arguments.of("goto", new RuleMessage(2, 0, 0, 0, 0, RuleMessage.FR_ACT_GOTO, 0, 1500, 0, 0, null, null, null, null, 0)),
                Arguments.of("prohibit", new RuleMessage(2, 0, 0, 0, 0, RuleMessage.FR_ACT_PROHIBIT, 0, 1500, 0, 0, null, null, null, null, 0)),
                Arguments.of("from a prefix", new RuleMessage(2, 0, 24, 0, 5, 1, 0, 1500, 0, 0, null, null, null, IpAddress.v4(192, 0, 2, 0), 0)),
                Arguments.of("oif", new RuleMessage(2, 0, 0, 0, 5, 1, 0, 1500, 0, 0, null, "wan", null, null, 0)),
                Arguments.of("multicast routing family", new RuleMessage(128, 0, 0, 0, 5, 1, 0, 1500, 0, 0, null, null, null, null, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignRules")
    void rulesAnIpRuleCannotExpressAreLeftOut(String name, RuleMessage m) {
        assertThat(PlanMessages.ipRule(m)).isEmpty();
    }

    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of("default via gateway", route(1, "0.0.0.0/0", "unicast", "192.0.2.1", "wan", 10, null, null, 4, 0)),
                Arguments.of("link route with src", route(1, "192.0.2.0/24", "unicast", null, "wan", 0, null, "192.0.2.5", 2, 253)),
                Arguments.of("unreachable in table 5000", route(5000, "0.0.0.0/0", "unreachable", null, "", 0, null, null, 3, 0)),
                Arguments.of("ipv6 source route", route(2, "2001:db8:1::/48", "unicast", "fe80::1", "wanb", 1024, "2001:db8:2::/56", null, 4, 0)),
                Arguments.of("host route prints without /32", route(3, "203.0.113.9/32", "throw", null, "", 5, null, null, 4, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void routeRoundTrip(String name, IpRoute r) {
        int oif = DEVICES.entrySet().stream().filter(e -> e.getValue().equals(r.device())).map(Map.Entry::getKey).findFirst().orElse(0);
        RouteMessage m = PlanMessages.route(r, oif);
        assertThat(PlanMessages.ipRoute(m, DEVICES::get)).contains(r);
        NlMessage wire = new NlMessage(NlHeader.request(RouteMessage.RTM_NEWROUTE, 0, 1), m);
        assertThat(NlCodec.decode(NlCodec.encode(wire))).containsExactly(wire);
    }

    @Test
    void ipv6RejectRoutesDropTheLoopbackTheKernelAdds() {
        RouteMessage fromKernel = new RouteMessage(10, 0, 0, 0, 2, 3, 0, 7, 0, null, null, null, 1, 1024, null);
        assertThat(PlanMessages.ipRoute(fromKernel, DEVICES::get))
                .contains(route(2, "::/0", "unreachable", null, "", 1024, null, null, 3, 0));
    }

    @Test
    void anUnknownIfindexReadsBackAsANameNoPlanHas() {
        RouteMessage m = new RouteMessage(2, 0, 0, 0, 2, 3, 0, 1, 0, null, null, null, 77, 0, null);
        assertThat(PlanMessages.ipRoute(m, DEVICES::get)).map(IpRoute::device).contains("#77");
    }

    @Test
    void whatTheKernelKeepsOfAPlannedIpv6Route() {
        assertThat(PlanMessages.asKernelKeeps(route(1, "2001:db8::/64", "unicast", null, "wan", 0, null, null, 0, 253)))
                .isEqualTo(route(1, "2001:db8::/64", "unicast", null, "wan", 1024, null, null, 3, 0));
        IpRoute v4 = route(1, "192.0.2.0/24", "unicast", null, "wan", 0, null, null, 0, 253);
        assertThat(PlanMessages.asKernelKeeps(v4)).isSameAs(v4);
    }

    @Test
    void unknownRouteTypeIsRefusedWithTheRoute() {
        assertThatThrownBy(() -> PlanMessages.route(route(1, "0.0.0.0/0", "teleport", null, "", 0, null, null, 4, 0), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("teleport").hasMessageContaining("table 1");
    }

    static Stream<Arguments> commands() {
        IpRule rule = new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 1);
        IpRule rule6 = new IpRule(Family.IPV6, 1001, "wan", 0, 0, IpRule.Action.LOOKUP, 1);
        IpRoute r = route(1, "0.0.0.0/0", "unicast", "192.0.2.1", "wan", 10, null, null, 4, 0);
        IpRoute r6 = route(2, "::/0", "unreachable", null, "", 0, null, null, 4, 0);
        return Stream.of(
                Arguments.of(new Op.AddIpRule(rule), "ip rule add pref 2001 fwmark 0x100/0x3f00 lookup 1"),
                Arguments.of(new Op.DeleteIpRule(rule6), "ip -6 rule del pref 1001 iif wan lookup 1"),
                Arguments.of(new Op.AddRoute(r), "ip route add default via 192.0.2.1 dev wan proto 4 metric 10 table 1"),
                Arguments.of(new Op.DeleteRoute(r6), "ip -6 route del unreachable default proto 4 table 2"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("commands")
    void ipCommands(Op op, String command) {
        assertThat(PlanMessages.ipCommand(op)).isEqualTo(command);
    }

    @Test
    void familiesAndTheirNumbers() {
        assertThat(PlanMessages.af(Family.IPV4)).isEqualTo(2);
        assertThat(PlanMessages.af(Family.IPV6)).isEqualTo(10);
        assertThat(PlanMessages.family(7)).isEqualTo(Optional.empty());
    }
}
