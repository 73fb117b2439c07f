package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.core.Event;
import org.mwan4.core.RouteFact;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.testing.TestNetns;

/**
 * Route floods into a tiny receive buffer while the listener is busy: the kernel drops notifications
 * (ENOBUFS), the monitor re-dumps, and the routes rebuilt from its events equal {@code ip route show table all}.
 *
 * <p>The second flood runs while the snapshot after the first overrun is being delivered, i.e. after that
 * dump: the kernel still counts the socket as congested then and would drop those changes without another
 * ENOBUFS unless the monitor drained its queue before dumping.
 */
@Tag("kernel")
class RtnetlinkMonitorOverrunKernelTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    /** Rebuilds the route table from the events, as a reducer would, and is slow on purpose at two moments. */
    static final class RouteModel implements RtnetlinkMonitor.Listener {
        final CountDownLatch firstFloodDone = new CountDownLatch(1);
        final CountDownLatch secondFloodDone = new CountDownLatch(1);
        final TreeSet<String> routes = new TreeSet<>();
        volatile int snapshots;

        @Override
        public void onEvent(Event event) {
            synchronized (this) {
                if (event instanceof Event.NetlinkResynced s) {
                    routes.clear();
                    s.routes().forEach(r -> routes.add(key(r)));
                    snapshots++;
                } else if (event instanceof Event.RouteAdded a) {
                    routes.add(key(a.route()));
                } else if (event instanceof Event.RouteRemoved r) {
                    routes.remove(key(r.route()));
                }
            }
            if (snapshots == 1 && !(event instanceof Event.NetlinkResynced)) {
                await(firstFloodDone); // busy with the first change: the first flood overruns the buffer
            } else if (snapshots == 2 && event instanceof Event.NetlinkResynced) {
                await(secondFloodDone); // busy with the snapshot after the overrun: the second flood comes after that dump
            }
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized TreeSet<String> snapshot() {
            return new TreeSet<>(routes);
        }
    }

    static String key(RouteFact r) {
        return r.family().id() + " table " + r.table() + " " + r.type() + " " + r.destination() + " metric " + r.metric();
    }

    @Test
    void floodsEndInAResyncWhoseRoutesMatchIpRouteShowTableAll() throws Exception {
        try (TestNetns ns = TestNetns.create("rtflood");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            RouteModel model = new RouteModel();
            try (RtnetlinkMonitor m = RtnetlinkMonitor.start(t, CLOCK, 4096, model)) {
                waitFor(() -> model.snapshots == 1, "initial snapshot");

                StringBuilder first = new StringBuilder();
                for (int table = 100; table < 104; table++) {
                    hosts(first, "add", table, 1);
                }
                for (int n = 0; n < 1000; n++) {
                    first.append("route add unreachable 2001:db8:1:").append(Integer.toHexString(n)).append("::/64 table 100\n");
                }
                batch(ns, first);
                model.firstFloodDone.countDown();
                waitFor(() -> model.snapshots == 2, "the resync after the first overrun");

                StringBuilder second = new StringBuilder();
                for (int table = 104; table < 108; table++) {
                    hosts(second, "add", table, 1);
                }
                for (int n = 0; n < 500; n++) {
                    second.append("route del unreachable 2001:db8:1:").append(Integer.toHexString(n)).append("::/64 table 100\n");
                }
                hosts(second, "del", 103, 2);
                batch(ns, second);
                model.secondFloodDone.countDown();

                ns.exec("ip", "route", "add", "unreachable", "192.0.2.255/32", "table", "999");
                String sentinel = "ipv4 table 999 unreachable 192.0.2.255 metric 0";
                waitFor(() -> model.snapshot().contains(sentinel), "the sentinel route after the floods");

                assertThat(m.resyncs()).as("both floods overran the receive buffer").isGreaterThanOrEqualTo(3);
                TreeSet<String> kernel = ipRouteShowTableAll(ns);
                assertThat(kernel).hasSizeGreaterThan(8 * 256 - 128 + 500);
                TreeSet<String> seen = model.snapshot();
                TreeSet<String> missing = new TreeSet<>(kernel);
                missing.removeAll(seen);
                TreeSet<String> extra = new TreeSet<>(seen);
                extra.removeAll(kernel);
                assertThat(missing).as("routes the kernel has but the events lost").isEmpty();
                assertThat(extra).as("routes the events kept but the kernel does not have").isEmpty();
            }
        }
    }

    /** {@code route add|del unreachable 198.51.100.H/32 table T} for every {@code step}-th host. */
    private static void hosts(StringBuilder sb, String verb, int table, int step) {
        for (int host = 0; host < 256; host += step) {
            sb.append("route ").append(verb).append(" unreachable 198.51.100.").append(host).append("/32 table ").append(table).append('\n');
        }
    }

    private static void batch(TestNetns ns, StringBuilder commands) {
        TestNetns.Result r = TestNetns.runWithInput(commands.toString(), "ip", "netns", "exec", ns.name(), "ip", "-batch", "-");
        assertThat(r.code()).as(r.output()).isZero();
    }

    private static TreeSet<String> ipRouteShowTableAll(TestNetns ns) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String family : new String[] {"ipv4", "ipv6"}) {
            String text = ns.exec("ip", family.equals("ipv4") ? "-4" : "-6", "-j", "route", "show", "table", "all");
            for (JsonNode r : json.readTree(text)) {
                String table = r.path("table").asText("main");
                int tableId = switch (table) {
                    case "main" -> 254;
                    case "local" -> 255;
                    case "default" -> 253;
                    default -> Integer.parseInt(table);
                };
                String dst = r.path("dst").asText();
                if (dst.equals("default")) {
                    dst = family.equals("ipv4") ? "0.0.0.0/0" : "::/0";
                }
                out.add(family + " table " + tableId + " " + r.path("type").asText("unicast") + " " + dst + " metric " + r.path("metric").asInt(0));
            }
        }
        return out;
    }

    private static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
