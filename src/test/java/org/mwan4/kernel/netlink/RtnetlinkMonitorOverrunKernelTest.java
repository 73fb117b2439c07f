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
 * A route flood into a tiny receive buffer while the listener is busy: the kernel drops notifications
 * (ENOBUFS), the monitor re-dumps, and the routes rebuilt from its events equal {@code ip route show table all}.
 */
@Tag("kernel")
class RtnetlinkMonitorOverrunKernelTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    /** Rebuilds the route table from the events, as a reducer would. */
    static final class RouteModel implements RtnetlinkMonitor.Listener {
        final CountDownLatch floodDone = new CountDownLatch(1);
        final TreeSet<String> routes = new TreeSet<>();
        volatile int snapshots;

        @Override
        public void onEvent(Event event) {
            synchronized (this) {
                if (event instanceof Event.NetlinkResynced s) {
                    routes.clear();
                    s.routes().forEach(r -> routes.add(key(r)));
                    snapshots++;
                    return;
                } else if (event instanceof Event.RouteAdded a) {
                    routes.add(key(a.route()));
                } else if (event instanceof Event.RouteRemoved r) {
                    routes.remove(key(r.route()));
                }
            }
            if (snapshots == 1) {
                // a busy consumer: the first change after the initial snapshot waits until the flood is over
                await();
            }
        }

        private void await() {
            try {
                floodDone.await(30, TimeUnit.SECONDS);
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
    void floodEndsInAResyncWhoseRoutesMatchIpRouteShowTableAll() throws Exception {
        try (TestNetns ns = TestNetns.create("rtflood");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            RouteModel model = new RouteModel();
            try (RtnetlinkMonitor m = RtnetlinkMonitor.start(t, CLOCK, 4096, model)) {
                waitFor(() -> model.snapshots == 1, "initial snapshot");

                StringBuilder batch = new StringBuilder();
                for (int table = 100; table < 108; table++) {
                    for (int host = 0; host < 256; host++) {
                        batch.append("route add unreachable 198.51.100.").append(host).append("/32 table ").append(table).append('\n');
                    }
                }
                for (int n = 0; n < 1500; n++) {
                    batch.append("route add unreachable 2001:db8:1:").append(Integer.toHexString(n)).append("::/64 table 100\n");
                }
                for (int n = 0; n < 500; n++) {
                    batch.append("route del unreachable 2001:db8:1:").append(Integer.toHexString(n)).append("::/64 table 100\n");
                }
                for (int host = 0; host < 256; host += 2) {
                    batch.append("route del unreachable 198.51.100.").append(host).append("/32 table 103\n");
                }
                TestNetns.Result r = TestNetns.runWithInput(batch.toString(), "ip", "netns", "exec", ns.name(), "ip", "-batch", "-");
                assertThat(r.code()).as(r.output()).isZero();
                model.floodDone.countDown();

                ns.exec("ip", "route", "add", "unreachable", "192.0.2.255/32", "table", "999");
                String sentinel = "ipv4 table 999 unreachable 192.0.2.255 metric 0";
                waitFor(() -> model.snapshot().contains(sentinel), "the sentinel route after the flood");

                assertThat(m.resyncs()).as("the flood overran the receive buffer").isGreaterThanOrEqualTo(2);
                TreeSet<String> kernel = ipRouteShowTableAll(ns);
                assertThat(kernel).hasSizeGreaterThan(2048 + 1000 - 128);
                assertThat(model.snapshot()).isEqualTo(kernel);
            }
        }
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
