package org.mwan4.demo.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.core.TrackerStatus;
import org.mwan4.demo.DaemonNews;
import org.mwan4.demo.InProcessDaemon;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.RtnetlinkClient;
import org.mwan4.kernel.nft.LibNftables;
import org.mwan4.lab.Lab;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.Op;
import org.mwan4.plan.Prefixes;

/**
 * Route churn: {@code rate} route changes per second in the router's main table for {@code seconds}, sent by this
 * JVM as rtnetlink batches (no forked {@code ip}): /32 routes of 198.51.100.128/25 on {@code lan0} with metrics
 * 1..{@value #METRICS}, added and deleted at random. Then: does {@code mwan4_connected_ipv4} equal the connected
 * prefixes the kernel holds (main-table unicast routes, local addresses, multicast), how long after the last change
 * it got there, how many transactions the daemon made and how much CPU it used.
 */
final class RouteChurnBench {
    private static final int METRICS = 100;
    private static final int BATCH = 250;
    private static final String SET = "mwan4_connected_ipv4";
    private static final Pattern V4 = Pattern.compile("(\\d+\\.\\d+\\.\\d+\\.\\d+(?:/\\d+)?)(?:-(\\d+\\.\\d+\\.\\d+\\.\\d+))?");

    private final Lab lab;
    private final PrintStream out;

    RouteChurnBench(Lab lab, PrintStream out) {
        this.lab = lab;
        this.out = out;
    }

    void run(int rate, int seconds) throws Exception {
        String config = FailoverBench.config(lab, 1000, 3, 3, 1, 1);
        AtomicInteger transactions = new AtomicInteger();
        try (InProcessDaemon d = InProcessDaemon.start(lab.router().name(), config, false);
             NetnsThread ns = NetnsThread.enter(lab.router().name())) {
            d.watch(n -> {
                if (n instanceof DaemonNews.Applied) {
                    transactions.incrementAndGet();
                }
            });
            FailoverBench.await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
            RtnetlinkClient rtnl = RtnetlinkClient.open(ns);
            LibNftables nft = LibNftables.open(ns);
            try {
                boolean[] present = new boolean[128 * METRICS];
                java.util.SplittableRandom random = new java.util.SplittableRandom(8);
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                int tx0 = transactions.get();
                long cpu0 = os.getProcessCpuTime();
                long self0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long changes = 0;
                long periodNanos = 1_000_000_000L * BATCH / rate;
                long due = t0;
                long end = t0 + seconds * 1_000_000_000L;
                int late = 0;
                int refused = 0;
                while (System.nanoTime() < end) {
                    List<Op> batch = new ArrayList<>(BATCH);
                    java.util.BitSet drawn = new java.util.BitSet(present.length);
                    while (batch.size() < BATCH) {
                        int k = random.nextInt(present.length);
                        if (drawn.get(k)) {
                            continue; // one op per route and batch: a second one could be refused
                        }
                        drawn.set(k);
                        IpRoute r = route(k);
                        batch.add(present[k] ? new Op.DeleteRoute(r) : new Op.AddRoute(r));
                        present[k] = !present[k];
                    }
                    try {
                        rtnl.apply(batch);
                    } catch (RuntimeException e) { // not expected: the kernel's table is the truth then
                        refused++;
                        resync(present, rtnl);
                    }
                    changes += batch.size();
                    due += periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } else {
                        late++;
                    }
                }
                long sent = System.nanoTime();
                long churnNanos = sent - t0;
                long selfCpu = threads.getCurrentThreadCpuTime() - self0;
                // lag: until the set equals the kernel's connected prefixes (checked every 5 ms, up to 30 s)
                SortedSet<Cidr> want = expected(rtnl);
                long deadline = sent + 30_000_000_000L;
                SortedSet<Cidr> have = elements(nft);
                while (!have.equals(want) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                    have = elements(nft);
                }
                long lag = System.nanoTime() - sent;
                long daemonCpu = os.getProcessCpuTime() - cpu0 - (threads.getCurrentThreadCpuTime() - self0);
                int tx = transactions.get() - tx0;
                int routesLeft = 0;
                for (boolean p : present) {
                    routesLeft += p ? 1 : 0;
                }
                out.printf(Locale.ROOT, "== route churn: %d route changes in %.1f s (%.0f/s, target %d/s; %d batches of %d late, %d refused)"
                        + " in the router's main table%n", changes, churnNanos / 1e9, changes / (churnNanos / 1e9), rate, late, BATCH, refused);
                out.printf(Locale.ROOT, "%s %s the kernel's connected prefixes (%d routes of ours left, %d elements) %.0f ms after the last change%n",
                        SET, have.equals(want) ? "equals" : "DIFFERS FROM", routesLeft, have.size(), lag / 1e6);
                out.printf(Locale.ROOT, "kernel transactions during churn + settle: %d (%.1f/s); daemon CPU %.1f %% of one core"
                        + " (JVM minus the generator thread, which used %.1f %%)%n", tx, tx / ((churnNanos + lag) / 1e9),
                        100.0 * daemonCpu / (churnNanos + lag), 100.0 * selfCpu / churnNanos);
                if (!have.equals(want)) {
                    TreeSet<Cidr> missing = new TreeSet<>(want);
                    missing.removeAll(have);
                    TreeSet<Cidr> extra = new TreeSet<>(have);
                    extra.removeAll(want);
                    out.println("missing " + missing + ", extra " + extra);
                }
                List<Op> cleanup = new ArrayList<>();
                for (int k = 0; k < present.length; k++) {
                    if (present[k]) {
                        cleanup.add(new Op.DeleteRoute(route(k)));
                    }
                }
                for (int i = 0; i < cleanup.size(); i += BATCH) {
                    rtnl.apply(cleanup.subList(i, Math.min(cleanup.size(), i + BATCH)));
                }
            } finally {
                nft.close();
                rtnl.close();
            }
        }
    }

    /** Route k: 198.51.100.(128 + k / METRICS)/32 dev lan0 metric (1 + k % METRICS), scope link, proto static. */
    private static IpRoute route(int k) {
        Cidr dst = Cidr.parse("198.51.100." + (128 + k / METRICS) + "/32").orElseThrow();
        return new IpRoute(254, dst, "unicast", null, "lan0", 1 + k % METRICS, null, null, 4, 253);
    }

    /** After a refused op: what the kernel has is the truth. */
    private static void resync(boolean[] present, RtnetlinkClient rtnl) {
        java.util.Arrays.fill(present, false);
        for (IpRoute r : rtnl.routes(List.of(254))) {
            String a = r.destination().toString();
            if (a.startsWith("198.51.100.") && r.destination().prefix() == 32 && r.device().equals("lan0")) {
                int host = Integer.parseInt(a.substring(11, a.indexOf('/')));
                if (host >= 128 && r.metric() >= 1 && r.metric() <= METRICS) {
                    present[(host - 128) * METRICS + r.metric() - 1] = true;
                }
            }
        }
    }

    /** What the planner puts in the set, from the kernel's tables: main unicast non-default, local addresses, multicast. */
    private static SortedSet<Cidr> expected(RtnetlinkClient rtnl) {
        List<Cidr> out = new ArrayList<>();
        for (IpRoute r : rtnl.routes(List.of(254, 255))) {
            if (r.destination().family() != Family.IPV4) {
                continue;
            }
            boolean main = r.table() == 254 && r.type().equals("unicast") && !r.destination().isDefault();
            boolean local = r.table() == 255 && r.type().equals("local");
            if (main || local) {
                out.add(r.destination());
            }
        }
        out.add(Cidr.parse("224.0.0.0/3").orElseThrow());
        return Prefixes.normalize(out);
    }

    /** The set's elements ({@code nft list set inet fw4 mwan4_connected_ipv4}; ranges a-b as prefixes). */
    private static SortedSet<Cidr> elements(LibNftables nft) {
        String text = nft.list("list set inet fw4 " + SET);
        int open = text.indexOf("elements = {");
        List<Cidr> out = new ArrayList<>();
        if (open >= 0) {
            Matcher m = V4.matcher(text.substring(open, text.indexOf('}', open)));
            while (m.find()) {
                if (m.group(2) != null) {
                    throw new IllegalStateException("range element " + m.group() + " in " + SET + ": not expected (prefixes only)");
                }
                String c = m.group(1).contains("/") ? m.group(1) : m.group(1) + "/32";
                out.add(Cidr.parse(c).orElseThrow());
            }
        }
        return Prefixes.normalize(out);
    }
}
