package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;
import static org.mwan4.core.TestConfigs.ip;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;

/** Links, addresses and routes from netlink events, and the interface facts derived from them. */
class FactsTest {

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    static RouteFact route(int table, String dst, String gw, int ifindex, int metric) {
        Cidr d = cidr(dst);
        return new RouteFact(table, d.family(), d, gw == null ? null : ip(gw), ifindex, metric, "unicast", 4, 0, null, null);
    }

    static Lab wan() {
        return new Lab().load(config(iface("wan").device("eth0").families(Family.IPV4, Family.IPV6).track("198.51.100.1")))
                .link(2, "eth0", true);
    }

    @Test
    void addressesAreAddedAndRemovedPerDevice() {
        Lab lab = wan().addr(2, "192.0.2.10/24").addr(2, "2001:db8:1::10/64").addr(3, "198.51.100.5/24");
        assertThat(lab.state.addressesOf("wan")).containsExactly(cidr("192.0.2.10/24"), cidr("2001:db8:1::10/64"));
        lab.apply(new Event.AddressRemoved(Lab.t(50), 2, cidr("192.0.2.10/24")));
        assertThat(lab.state.addressesOf("wan")).containsExactly(cidr("2001:db8:1::10/64"));
        lab.apply(new Event.AddressRemoved(Lab.t(51), 2, cidr("2001:db8:1::10/64")));
        assertThat(lab.state.addresses()).containsOnlyKeys(3);
    }

    @Test
    void gatewayIsTheLowestMetricDefaultRouteOfTheDeviceInTheMainTable() {
        Lab lab = wan()
                .apply(new Event.RouteAdded(Lab.t(10), route(254, "0.0.0.0/0", "192.0.2.1", 2, 20)))
                .apply(new Event.RouteAdded(Lab.t(11), route(254, "0.0.0.0/0", "192.0.2.254", 2, 10)))
                .apply(new Event.RouteAdded(Lab.t(12), route(254, "0.0.0.0/0", "198.51.100.1", 3, 0)))
                .apply(new Event.RouteAdded(Lab.t(13), route(1, "0.0.0.0/0", "192.0.2.99", 2, 0)))
                .apply(new Event.RouteAdded(Lab.t(14), route(254, "::/0", "fe80::1", 2, 1024)));
        assertThat(lab.state.gateway("wan", Family.IPV4)).contains(ip("192.0.2.254"));
        assertThat(lab.state.gateway("wan", Family.IPV6)).contains(ip("fe80::1"));
        assertThat(lab.state.gateway("wanb", Family.IPV4)).isEmpty();
    }

    @Test
    void gatewayIsTheSameWhateverOrderTheRoutesAreKeptIn() {
        Lab lab = wan()
                .apply(new Event.RouteAdded(Lab.t(10), route(254, "0.0.0.0/0", "192.0.2.1", 2, 20)))
                .apply(new Event.RouteAdded(Lab.t(11), route(254, "0.0.0.0/0", "192.0.2.254", 2, 10)))
                .apply(new Event.RouteAdded(Lab.t(12), route(254, "192.0.2.0/24", null, 2, 0)))
                .apply(new Event.RouteAdded(Lab.t(13), route(253, "0.0.0.0/0", "192.0.2.77", 2, 0)));
        java.util.TreeSet<RouteFact> byText = new java.util.TreeSet<>(java.util.Comparator.comparing(RouteFact::toString));
        byText.addAll(lab.state.routes());
        State other = new State(lab.state.config(), lab.state.links(), lab.state.addresses(), byText, lab.state.trackers(),
                lab.state.operatorDown(), lab.state.now());
        assertThat(other.gateway("wan", Family.IPV4)).isEqualTo(lab.state.gateway("wan", Family.IPV4)).contains(ip("192.0.2.254"));
    }

    @Test
    void aGatewayChangeWritesTheStatusAnOrdinaryRouteDoesNot() {
        Lab lab = wan().apply(new Event.RouteAdded(Lab.t(10), route(254, "0.0.0.0/0", "192.0.2.1", 2, 0)));
        assertThat(lab.actions()).containsExactly("status");
        lab.apply(new Event.RouteAdded(Lab.t(11), route(254, "192.0.2.0/24", null, 2, 0)));
        assertThat(lab.last).isEmpty();
        assertThat(lab.state.routes()).hasSize(2);
    }

    @Test
    void aRouteWithTheSameIdentityIsReplaced() {
        Lab lab = wan().apply(new Event.RouteAdded(Lab.t(10), route(254, "0.0.0.0/0", "192.0.2.1", 2, 0)))
                .apply(new Event.RouteAdded(Lab.t(11), route(254, "0.0.0.0/0", "192.0.2.2", 2, 0)));
        assertThat(lab.state.routes()).containsExactly(route(254, "0.0.0.0/0", "192.0.2.2", 2, 0));
    }

    @Test
    void routesAreRemovedExactlyOrByIdentity() {
        RouteFact r = route(254, "198.51.100.0/24", null, 2, 0);
        Lab lab = wan().apply(new Event.RouteAdded(Lab.t(10), r));
        RouteFact reportedDifferently = new RouteFact(254, Family.IPV4, r.destination(), null, 2, 0, "unicast", 2, 253, null, null);
        lab.apply(new Event.RouteRemoved(Lab.t(11), reportedDifferently));
        assertThat(lab.state.routes()).isEmpty();
        lab.apply(new Event.RouteRemoved(Lab.t(12), r));
        assertThat(lab.state.routes()).isEmpty();
    }

    @Test
    void settingALinkDownForgetsItsRoutesCarrierLossKeepsThem() {
        Lab lab = wan().apply(new Event.RouteAdded(Lab.t(10), route(254, "0.0.0.0/0", "192.0.2.1", 2, 0)))
                .apply(new Event.RouteAdded(Lab.t(11), route(254, "203.0.113.0/24", null, 3, 0)));
        lab.carrier(2, "eth0", false);
        assertThat(lab.state.routes()).hasSize(2);
        lab.link(2, "eth0", false);
        assertThat(lab.state.routes()).containsExactly(route(254, "203.0.113.0/24", null, 3, 0));
    }

    @Test
    void aRemovedLinkTakesItsAddressesAndRoutes() {
        Lab lab = wan().addr(2, "192.0.2.10/24").apply(new Event.RouteAdded(Lab.t(10), route(254, "0.0.0.0/0", "192.0.2.1", 2, 0)));
        lab.apply(new Event.LinkRemoved(Lab.t(11), 2, "eth0"));
        assertThat(lab.state.links()).isEmpty();
        assertThat(lab.state.addresses()).isEmpty();
        assertThat(lab.state.routes()).isEmpty();
        assertThat(lab.tracker("wan").status()).isEqualTo(TrackerStatus.DISABLED);
    }

    @Test
    void aRenamedLinkIsTheSameIfindex() {
        Lab lab = wan().link(2, "eth9", true);
        assertThat(lab.state.links()).containsOnlyKeys(2);
        assertThat(lab.tracker("wan").status()).isEqualTo(TrackerStatus.DISABLED);
    }

    @Test
    void aResyncReplacesEveryFact() {
        Lab lab = wan().addr(2, "192.0.2.10/24").addr(3, "198.51.100.5/24")
                .apply(new Event.RouteAdded(Lab.t(10), route(254, "203.0.113.0/24", null, 3, 0)));
        lab.apply(new Event.NetlinkResynced(Lab.t(20),
                List.of(new Event.LinkChanged(Lab.t(20), 2, "eth0", true, true, "UP")),
                List.of(new Event.AddressAdded(Lab.t(20), 2, cidr("192.0.2.11/24"))),
                List.of(route(254, "0.0.0.0/0", "192.0.2.1", 2, 0))));
        assertThat(lab.state.links()).containsOnlyKeys(2);
        assertThat(lab.state.addressesOf("wan")).containsExactly(cidr("192.0.2.11/24"));
        assertThat(lab.state.addresses()).containsOnlyKeys(2);
        assertThat(lab.state.routes()).containsExactly(route(254, "0.0.0.0/0", "192.0.2.1", 2, 0));
        assertThat(lab.state.gateway("wan", Family.IPV4)).contains(ip("192.0.2.1"));
        assertThat(lab.actions()).as("source address changed: probes re-bind; gateway changed: status")
                .containsExactly("start wan ipv4 eth0 src 192.0.2.11 mark 0x3f00 first 0s every 10s", "status");
    }

    @Test
    void factsWithoutAConfigAreKeptForLater() {
        Lab lab = new Lab().link(2, "eth0", true).addr(2, "192.0.2.10/24");
        assertThat(lab.last).isEmpty();
        lab.load(config(iface("wan").device("eth0").track("198.51.100.1")));
        assertThat(lab.tracker("wan").status()).isEqualTo(TrackerStatus.ONLINE);
        assertThat(lab.tracker("wan").source()).isEqualTo(ip("192.0.2.10"));
    }

    @Test
    void linkLocalIpv6IsNeverTheProbeSource() {
        Lab lab = wan().addr(2, "fe80::5/64");
        assertThat(lab.state.sourceAddress("wan", Family.IPV6)).isEmpty();
        lab.addr(2, "2001:db8::5/64");
        assertThat(lab.state.sourceAddress("wan", Family.IPV6)).contains(ip("2001:db8::5"));
    }
}
