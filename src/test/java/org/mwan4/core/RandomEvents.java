package org.mwan4.core;

import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * Random but plausible event sequences (a fixed seed each) over three configs, three devices and a small pool
 * of addresses, routes and targets, so every transition gets hit many times.
 */
final class RandomEvents {
    static final String[] DEVICES = {"eth0", "eth1", "wan", "eth9"};
    static final String[] IFACES = {"wan", "wanb", "lte", "ghost"};
    static final String[] TARGETS = {"198.51.100.1", "198.51.100.2", "198.51.100.3", "2001:db8:ffff::1", "2001:db8:ffff::2", "203.0.113.9"};
    static final String[] ADDRESSES = {"192.0.2.10/24", "192.0.2.11/24", "2001:db8:1::10/64", "fe80::1/64", "198.51.100.20/24"};

    static final TestConfigs.Parser PARSER = new TestConfigs.Parser()
            .with("A", config(
                    iface("wan").device("eth0").families(Family.IPV4, Family.IPV6)
                            .track("198.51.100.1", "198.51.100.2", "2001:db8:ffff::1").reliability(2).down(2).up(3)
                            .quality(1000, 500, 40, 10).flush(org.mwan4.config.HookAction.IFDOWN),
                    iface("wanb").device("eth1").track("198.51.100.3").down(1).up(1)).build())
            .with("B", config(
                    iface("wan").device("eth0").families(Family.IPV4, Family.IPV6).track("198.51.100.1").down(4).up(2)
                            .offlineAtStart().keepFailureInterval().failureInterval(2).recoveryInterval(3),
                    iface("wanb").device("eth1"),
                    iface("lte").track("203.0.113.9", "2001:db8:ffff::2")).network("lte", "wan").build())
            .with("C", config(
                    iface("wanb").device("eth1").disabled().track("198.51.100.3"),
                    iface("wan").device("eth1").families(Family.IPV6).track("2001:db8:ffff::1", "2001:db8:ffff::2").up(1))
                    .mask(0xFF00).build());

    private RandomEvents() {}

    static List<LoggedEvent> generate(long seed, int count) {
        Random r = new Random(seed);
        List<LoggedEvent> out = new ArrayList<>(count);
        Instant at = Lab.T0;
        for (int i = 0; i < count; i++) {
            at = at.plusMillis(r.nextInt(5000));
            out.add(new LoggedEvent(i + 1, event(r, at, i == 0)));
        }
        return out;
    }

    private static Event event(Random r, Instant at, boolean first) {
        int ifindex = 2 + r.nextInt(DEVICES.length);
        String device = DEVICES[ifindex - 2];
        int kind = first ? 0 : r.nextInt(100);
        if (kind < 3) {
            String text = new String[] {"A", "B", "C", "broken 'bad'"}[r.nextInt(4)];
            return new Event.ConfigLoaded(at, "/etc/config/mwan4", text, null, null);
        } else if (kind < 15) {
            boolean admin = r.nextInt(4) != 0;
            boolean carrier = r.nextInt(4) != 0;
            return new Event.LinkChanged(at, ifindex, device, admin, carrier, admin && carrier ? "UP" : "DOWN");
        } else if (kind < 17) {
            return new Event.LinkRemoved(at, ifindex, device);
        } else if (kind < 24) {
            Cidr a = cidr(ADDRESSES[r.nextInt(ADDRESSES.length)]);
            return r.nextBoolean() ? new Event.AddressAdded(at, ifindex, a) : new Event.AddressRemoved(at, ifindex, a);
        } else if (kind < 32) {
            RouteFact route = route(r, ifindex);
            return r.nextBoolean() ? new Event.RouteAdded(at, route) : new Event.RouteRemoved(at, route);
        } else if (kind < 33) {
            return new Event.NetlinkResynced(at,
                    List.of(new Event.LinkChanged(at, 2, "eth0", true, true, "UP"), new Event.LinkChanged(at, 3, "eth1", r.nextBoolean(), true, "UP")),
                    List.of(new Event.AddressAdded(at, 2, cidr(ADDRESSES[r.nextInt(ADDRESSES.length)]))),
                    List.of(route(r, 2), route(r, 3)));
        } else if (kind < 85) {
            return round(r, at);
        } else if (kind < 92) {
            Event.Command c = Event.Command.values()[r.nextInt(3)];
            return new Event.OperatorCommanded(at, c, c == Event.Command.RELOAD ? "" : IFACES[r.nextInt(IFACES.length)]);
        } else if (kind < 96) {
            return new Event.Ticked(at);
        } else if (kind < 97) {
            return new Event.KernelApplyFailed(at, "nft: Operation not permitted");
        } else if (kind < 98) {
            return new Event.ChainsMissing(at, List.of("mwan4_prerouting"));
        } else {
            return new Event.ShutdownRequested(at, r.nextBoolean());
        }
    }

    private static Event round(Random r, Instant at) {
        String iface = IFACES[r.nextInt(3)];
        Family f = r.nextInt(3) == 0 ? Family.IPV6 : Family.IPV4;
        List<Event.TargetResult> results = new ArrayList<>();
        for (String t : TARGETS) {
            IpAddress a = TestConfigs.ip(t);
            if (a.family() != f || r.nextInt(5) == 0) {
                continue;
            }
            int s = r.nextInt(10);
            Event.TargetStatus st = s < 6 ? Event.TargetStatus.UP : s < 9 ? Event.TargetStatus.DOWN : Event.TargetStatus.SKIPPED;
            Double latency = st == Event.TargetStatus.UP ? (double) r.nextInt(1500) : null;
            int loss = st == Event.TargetStatus.UP ? r.nextInt(60) : st == Event.TargetStatus.DOWN ? 100 : 0;
            results.add(new Event.TargetResult(a, st, latency, loss, r.nextBoolean() ? r.nextDouble() * 10 : null));
        }
        return new Event.ProbeRoundFinished(at, iface, f, results);
    }

    private static RouteFact route(Random r, int ifindex) {
        boolean v6 = r.nextBoolean();
        boolean dflt = r.nextBoolean();
        Cidr dst = cidr(dflt ? (v6 ? "::/0" : "0.0.0.0/0") : (v6 ? "2001:db8:1::/64" : "192.0.2.0/24"));
        IpAddress gw = TestConfigs.ip(v6 ? "fe80::1" : "192.0.2." + (1 + r.nextInt(3)));
        int table = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : RouteFact.TABLE_MAIN;
        return new RouteFact(table, dst.family(), dst, gw, ifindex, r.nextInt(3) * 10, "unicast", 4, 0, null, null);
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }
}
