package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.core.Event;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.testing.TestNetns;

/**
 * A route storm (4000 changes from one {@code ip -batch}) reaches the listener as a few snapshots instead of 4000 route
 * events, and the routes rebuilt from what it heard equal {@code ip route show table all}; a link change during the
 * storm still comes one by one.
 */
@Tag("kernel")
class RtnetlinkMonitorStormKernelTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void aStormIsCoalescedIntoSnapshotsThatEndEqualToTheKernel() throws Exception {
        try (TestNetns ns = TestNetns.create("rtstorm");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            AtomicInteger routeEvents = new AtomicInteger();
            AtomicInteger links = new AtomicInteger();
            RtnetlinkMonitorOverrunKernelTest.RouteModel model = new RtnetlinkMonitorOverrunKernelTest.RouteModel();
            model.firstFloodDone.countDown(); // never slow: this test is about coalescing, not overruns
            model.secondFloodDone.countDown();
            RtnetlinkMonitor.Listener counting = event -> {
                switch (event) {
                    case Event.RouteAdded _, Event.RouteRemoved _ -> routeEvents.incrementAndGet();
                    case Event.LinkChanged _ -> links.incrementAndGet();
                    default -> { }
                }
                model.onEvent(event);
            };
            try (RtnetlinkMonitor m = RtnetlinkMonitor.start(t, CLOCK, RtnetlinkMonitor.DEFAULT_RECEIVE_BUFFER, counting)) {
                waitFor(() -> model.snapshots == 1, "initial snapshot");
                StringBuilder storm = new StringBuilder();
                for (int round = 0; round < 8; round++) {
                    String verb = round % 2 == 0 ? "add" : "del";
                    for (int host = 0; host < 250; host++) {
                        storm.append("route ").append(verb).append(" unreachable 198.51.100.").append(host).append("/32 table ")
                                .append(100 + round / 2).append('\n');
                        storm.append("route ").append(verb).append(" unreachable 2001:db8:5::").append(Integer.toHexString(host))
                                .append("/128 table ").append(200 + round / 2).append('\n');
                    }
                    if (round == 4) {
                        storm.append("link add mwan4s0 type veth peer name mwan4s1\n");
                    }
                }
                storm.append("route add unreachable 192.0.2.255/32 table 999\n");
                TestNetns.Result r = TestNetns.runWithInput(storm.toString(), "ip", "netns", "exec", ns.name(), "ip", "-batch", "-");
                assertThat(r.code()).as(r.output()).isZero();
                String sentinel = "ipv4 table 999 unreachable 192.0.2.255 metric 0";
                waitFor(() -> model.snapshot().contains(sentinel), "the sentinel route after the storm");
                Thread.sleep(RtnetlinkMonitor.STORM_WINDOW_MS * 3); // the storm's last snapshot, if one is still due

                assertThat(routeEvents.get()).as("route events handed over one by one, of 4001 changes").isLessThan(1000);
                assertThat(m.resyncs()).as("snapshots after the initial one").isGreaterThanOrEqualTo(2);
                assertThat(links.get()).as("the veth pair's link events").isGreaterThanOrEqualTo(2);
                TreeSet<String> kernel = new TreeSet<>();
                for (String line : ns.exec("ip", "-4", "route", "show", "table", "all").lines().toList()) {
                    if (line.startsWith("unreachable 198.51.100.") || line.startsWith("unreachable 192.0.2.255")) {
                        kernel.add(line.split(" ")[1].replace("/32", "") + " " + line.split(" ")[3]);
                    }
                }
                TreeSet<String> seen = new TreeSet<>();
                for (String k : model.snapshot()) {
                    if (k.startsWith("ipv4 table ") && k.contains(" unreachable ") && !k.contains(" 0.0.0.0/0")) {
                        String[] f = k.split(" ");
                        seen.add(f[4].replace("/32", "") + " " + f[2]);
                    }
                }
                assertThat(kernel).as("tables 100-103 end empty (added, then deleted), 999 holds the sentinel").hasSize(1);
                assertThat(seen).isEqualTo(kernel);
            }
        }
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
