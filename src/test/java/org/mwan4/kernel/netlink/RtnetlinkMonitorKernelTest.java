package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.core.Event;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.IpRule;
import org.mwan4.testing.TestNetns;

/** Link, address, route and rule changes made with {@code ip} in a fresh namespace arrive as events, in order. */
@Tag("kernel")
class RtnetlinkMonitorKernelTest {
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    /** Collects everything the monitor delivers. */
    static final class Recorder implements RtnetlinkMonitor.Listener {
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final List<Object> seen = new ArrayList<>();

        @Override
        public void onEvent(Event event) {
            queue.add(event);
        }

        @Override
        public void onRule(RtnetlinkMonitor.RuleChange change) {
            queue.add(change);
        }

        @Override
        public void onRules(Instant at, List<IpRule> rules) {
            queue.add(rules);
        }

        @Override
        public void onFailure(KernelException error) {
            queue.add(error);
        }

        /** Waits until something delivered matches; returns it. */
        Object await(String what, Predicate<Object> p) throws InterruptedException {
            for (Object o : seen) {
                if (p.test(o)) {
                    return o;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Object o = queue.poll(100, TimeUnit.MILLISECONDS);
                if (o != null) {
                    seen.add(o);
                    if (p.test(o)) {
                        return o;
                    }
                }
            }
            throw new AssertionError("timed out waiting for " + what + "; got " + seen);
        }
    }

    @Test
    void startDeliversOneSnapshotThenChangesInOrder() throws Exception {
        try (TestNetns ns = TestNetns.create("rtmon");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            ns.exec("ip", "link", "add", "mon0", "type", "veth", "peer", "name", "mon1");
            ns.exec("ip", "addr", "add", "198.51.100.1/24", "dev", "mon1");
            Recorder rec = new Recorder();
            try (RtnetlinkMonitor m = RtnetlinkMonitor.start(t, CLOCK, 1 << 20, rec)) {
                Event.NetlinkResynced snap = (Event.NetlinkResynced) rec.await("initial snapshot", o -> o instanceof Event.NetlinkResynced);
                assertThat(snap.at()).isEqualTo(T0);
                assertThat(snap.links()).extracting(Event.LinkChanged::name).contains("lo", "mon0", "mon1");
                int mon0 = snap.links().stream().filter(l -> l.name().equals("mon0")).findFirst().orElseThrow().ifindex();
                int mon1 = snap.links().stream().filter(l -> l.name().equals("mon1")).findFirst().orElseThrow().ifindex();
                assertThat(snap.addresses()).contains(new Event.AddressAdded(T0, mon1, Cidr.parse("198.51.100.1/24").orElseThrow()));
                assertThat(snap.routes()).anyMatch(r -> r.table() == 255 && r.type().equals("local") && r.destination().toString().equals("127.0.0.1"));
                assertThat(rec.await("initial rules", o -> o instanceof List<?>)).asInstanceOf(InstanceOfAssertFactories.LIST)
                        .contains(new IpRule(Family.IPV4, 32766, "", 0, 0, IpRule.Action.LOOKUP, 254));

                ns.exec("ip", "link", "set", "mon1", "up");
                ns.exec("ip", "link", "set", "mon0", "up");
                ns.exec("ip", "addr", "add", "192.0.2.7/24", "dev", "mon0");
                ns.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.9", "table", "5", "metric", "3");
                ns.exec("ip", "-6", "route", "add", "unreachable", "2001:db8:7::/48", "table", "1005");
                ns.exec("ip", "rule", "add", "pref", "2005", "fwmark", "0x500/0x3f00", "lookup", "5");
                ns.exec("ip", "route", "del", "203.0.113.0/24", "table", "5");
                ns.exec("ip", "addr", "del", "192.0.2.7/24", "dev", "mon0");
                ns.exec("ip", "link", "set", "mon0", "down");
                ns.exec("ip", "link", "set", "mon0", "up");
                ns.exec("ip", "link", "del", "mon0");

                rec.await("link removed", o -> o instanceof Event.LinkRemoved r && r.name().equals("mon0"));
                List<String> story = rec.seen.stream().map(o -> story(o, mon0)).filter(s -> !s.isEmpty()).toList();
                assertThat(story).containsSubsequence(
                        "link mon0 up=true carrier=true UP",
                        "addr+ 192.0.2.7/24",
                        "route+ table 5 203.0.113.0/24 via 192.0.2.9 metric 3 unicast",
                        "route+ table 1005 2001:db8:7::/48 via null metric 1024 unreachable",
                        "rule+ pref 2005 fwmark 0x500/0x3f00 lookup 5",
                        "route- table 5 203.0.113.0/24 via 192.0.2.9 metric 3 unicast",
                        "addr- 192.0.2.7/24",
                        "link mon0 up=false carrier=false DOWN",
                        "link mon0 up=true carrier=true UP",
                        "removed mon0");
                assertThat(rec.seen).filteredOn(o -> o instanceof Event).extracting(o -> ((Event) o).at()).containsOnly(T0);
                assertThat(m.resyncs()).isEqualTo(1);
            }
        }
    }

    @Test
    void closeStopsTheThreadPromptly() {
        try (TestNetns ns = TestNetns.create("rtmonclose");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            RtnetlinkMonitor m = RtnetlinkMonitor.start(t, CLOCK, 1 << 16, new Recorder());
            long start = System.nanoTime();
            m.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> th.getName().equals("rtnetlink-monitor-" + ns.name()));
        }
    }

    /** A one-line story of what an event says about mon0 and our test prefixes ("" for the rest). */
    static String story(Object o, int mon0) {
        return switch (o) {
            case Event.LinkChanged l when l.ifindex() == mon0 -> "link mon0 up=" + l.adminUp() + " carrier=" + l.carrier() + " " + l.operstate();
            case Event.LinkRemoved r when r.ifindex() == mon0 -> "removed " + r.name();
            case Event.AddressAdded a when a.ifindex() == mon0 && a.address().family() == Family.IPV4 -> "addr+ " + a.address();
            case Event.AddressRemoved a when a.ifindex() == mon0 && a.address().family() == Family.IPV4 -> "addr- " + a.address();
            case Event.RouteAdded r when r.route().table() == 5 || r.route().table() == 1005 -> "route+ " + route(r.route());
            case Event.RouteRemoved r when r.route().table() == 5 || r.route().table() == 1005 -> "route- " + route(r.route());
            case RtnetlinkMonitor.RuleChange c when c.rule().priority() == 2005 -> (c.added() ? "rule+ " : "rule- ") + c.rule();
            default -> "";
        };
    }

    static String route(org.mwan4.core.RouteFact r) {
        return "table " + r.table() + " " + r.destination() + " via " + r.gateway() + " metric " + r.metric() + " " + r.type();
    }
}
