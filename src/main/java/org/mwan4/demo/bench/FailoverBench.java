package org.mwan4.demo.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Reducer;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;
import org.mwan4.demo.DaemonNews;
import org.mwan4.demo.InProcessDaemon;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.lab.Isp;
import org.mwan4.lab.Lab;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Planner;
import org.mwan4.runtime.eventlog.EventEncoder;

/**
 * Failover numbers in a lab (root): {@code java --enable-native-access=ALL-UNNAMED -cp mwan4.jar
 * org.mwan4.demo.bench.FailoverBench [runs] [falseFailoverSeconds] [flapSeconds]}.
 * <ol>
 *   <li>carrier loss on wan1 -> first new flow leaving via wan2 (data plane), and the kernel part (rtnetlink
 *       notification received -> transaction committed), p50/p99 over {@code runs};</li>
 *   <li>the fw4-reload baseline: plan, render the whole ruleset and load it with a forked {@code nft -f} per event;</li>
 *   <li>probe detection with interval 0.2 s, down 3 (targets blackholed), and false failovers at 5 % loss;</li>
 *   <li>a 10 Hz carrier flap storm on wan1: transactions vs link events, final state, RSS.</li>
 * </ol>
 * Not a JMH benchmark: it needs root, namespaces and a live daemon; each number is a wall-clock measurement.
 */
public final class FailoverBench {
    /** Carrier-loss runs not counted (the first runs of the FFM and libnftables path). */
    private static final int WARM_UP_RUNS = 10;
    /** Reduce + plan + diff rounds before the first run (see {@link #warmUp}). */
    private static final int WARM_UP_ITERATIONS = 3000;

    private final Lab lab;
    private final PrintStream out;
    private final List<DaemonNews> news = new ArrayList<>();

    private FailoverBench(Lab lab, PrintStream out) {
        this.lab = lab;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.printf(Locale.ROOT, "load average at start: %s%n", BenchArgs.loadAverage());
        try (Lab lab = Lab.builder().prefix("mwan4b-").build()) {
            FailoverBench b = new FailoverBench(lab, out);
            if (a.wants("carrier")) {
                b.carrierFailover(a.runs());
            }
            if (a.wants("probe")) {
                b.probeDetection(Math.max(5, a.runs() / 5), a.soakSeconds());
            }
            if (a.wants("flap")) {
                b.flapStorm(a.flapSeconds());
            }
            if (a.wants("churn")) {
                new RouteChurnBench(lab, out).run(a.churnPerSecond(), a.churnSeconds());
            }
        }
        out.printf(Locale.ROOT, "load average at end: %s%n", BenchArgs.loadAverage());
    }

    private InProcessDaemon start(String config) {
        InProcessDaemon d = InProcessDaemon.start(lab.router().name(), config, false);
        synchronized (news) {
            news.clear();
        }
        d.watch(n -> {
            synchronized (news) {
                news.add(n);
            }
        });
        return d;
    }

    private String config(int intervalMs, int down, int up, int count, int targets) {
        return config(lab, intervalMs, down, up, count, targets);
    }

    /** Both WANs tracked with ICMP to {@code targets} lab targets; tiered: wan1 (metric 1) before wan2 (metric 2). */
    static String config(Lab lab, int intervalMs, int down, int up, int count, int targets) {
        StringBuilder sb = new StringBuilder("config globals 'g'\n\toption mmx_mask '0x3F00'\n\n");
        for (Isp isp : lab.isps()) {
            sb.append("config interface '").append(isp.wan()).append("'\n\toption enabled '1'\n\toption device '")
              .append(isp.wan()).append("'\n");
            lab.internet().targets(Family.IPV4).stream().limit(targets).forEach(t -> sb.append("\tlist track_ip '").append(t).append("'\n"));
            sb.append(String.format(Locale.ROOT, "\toption reliability '1'\n\toption count '%d'\n\toption timeout '%.3f'\n"
                    + "\toption interval '%.3f'\n\toption down '%d'\n\toption up '%d'\n\n", count, intervalMs * 0.9 / 1000,
                    intervalMs / 1000.0, down, up));
        }
        sb.append("config route 'r1'\n\toption interface 'wan1'\n\toption metric '1'\n\n");
        sb.append("config route 'r2'\n\toption interface 'wan2'\n\toption metric '2'\n\n");
        sb.append("config strategy 'tiered'\n\tlist use_route 'r1'\n\tlist use_route 'r2'\n\n");
        sb.append("config rule 'all'\n\toption dest_ip '0.0.0.0/0'\n\toption use_strategy 'tiered'\n\tlist family 'ipv4'\n");
        return sb.toString();
    }

    /** Carrier loss -> first new flow via wan2, and rtnetlink notification -> committed transaction; then the baseline. */
    private void carrierFailover(int runs) throws Exception {
        List<Double> dataPlane = new ArrayList<>();
        List<Double> fromNotification = new ArrayList<>();
        List<Double> kernelPart = new ArrayList<>();
        List<Double> applyOnly = new ArrayList<>();
        List<Double> quietKernelPart = new ArrayList<>();
        List<Double> quietApply = new ArrayList<>();
        Desired full;
        try (InProcessDaemon d = start(config(1000, 3, 3, 1, 1))) {
            await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE && d.status("wan2", Family.IPV4) == TrackerStatus.ONLINE);
            warmUp(d.state(), WARM_UP_ITERATIONS);
            Thread.sleep(300);
            for (int i = 0; i < runs + WARM_UP_RUNS; i++) {
                int mark = size();
                try (NewFlowProbe probe = new NewFlowProbe(lab, lab.internet().server(Family.IPV4), 3000)) {
                    Thread.sleep(20);
                    long t0 = System.nanoTime();
                    lab.isp(1).linkDown();
                    Optional<Long> first = probe.firstVia("wan2", 100_000);
                    await(() -> find(mark, DaemonNews.Applied.class).isPresent());
                    DaemonNews.LinkSeen seen = find(mark, DaemonNews.LinkSeen.class).orElseThrow();
                    DaemonNews.Applied applied = find(mark, DaemonNews.Applied.class).orElseThrow();
                    if (i >= WARM_UP_RUNS) { // the first runs warm up the kernel path (FFM, libnftables)
                        long firstSent = first.orElseThrow(() -> new IllegalStateException("no flow left via wan2"));
                        dataPlane.add(ms(firstSent - t0));
                        fromNotification.add(ms(firstSent - seen.heardNanos()));
                        kernelPart.add(ms(applied.heardNanos() - seen.heardNanos()));
                        applyOnly.add(applied.took().toNanos() / 1e6);
                    }
                }
                lab.isp(1).linkUp();
                await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
                Thread.sleep(100);
            }
            // the same carrier loss without the data-plane probe, whose send/poll loop spins a core and floods the
            // veths with 10k new flows/s: what the kernel part costs on a router that is not also the load generator
            for (int i = 0; i < runs; i++) {
                int mark = size();
                lab.isp(1).linkDown();
                await(() -> find(mark, DaemonNews.Applied.class).isPresent());
                DaemonNews.LinkSeen seen = find(mark, DaemonNews.LinkSeen.class).orElseThrow();
                DaemonNews.Applied applied = find(mark, DaemonNews.Applied.class).orElseThrow();
                quietKernelPart.add(ms(applied.heardNanos() - seen.heardNanos()));
                quietApply.add(applied.took().toNanos() / 1e6);
                lab.isp(1).linkUp();
                await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
                Thread.sleep(100);
            }
            full = Planner.plan(d.state());
        }
        List<Double> baseline = baseline(full, runs);
        out.println("== carrier loss on wan1, " + runs + " runs (tiered: wan1 metric 1, wan2 metric 2)");
        out.println(row("data plane: `ip link set down` forked -> first new flow via wan2", dataPlane));
        out.println(row("data plane: rtnetlink notification -> first new flow via wan2", fromNotification));
        out.println(row("kernel part: rtnetlink notification -> transaction committed", kernelPart));
        out.println(row("  of which plan + diff + apply (KernelStepper took)", applyOnly));
        out.println(row("baseline: plan + render full ruleset + forked nft -f", baseline));
        out.printf(Locale.ROOT, "speed-up of the kernel part over the baseline: p50 %.0fx, p99 %.0fx%n",
                pct(baseline, 50) / pct(kernelPart, 50), pct(baseline, 99) / pct(kernelPart, 99));
        out.println(row("kernel part, no data-plane probe running", quietKernelPart));
        out.println(row("  of which plan + diff + apply (KernelStepper took)", quietApply));
        out.printf(Locale.ROOT, "speed-up of that kernel part over the baseline: p50 %.0fx, p99 %.0fx%n",
                pct(baseline, 50) / pct(quietKernelPart, 50), pct(baseline, 99) / pct(quietKernelPart, 99));
    }

    /**
     * Runs the pure part of a carrier loss (encode the link event for the event log, reduce it, plan, diff) {@code n}
     * times on copies of the daemon's state, in this JVM: the daemon's loop and kernel thread then run compiled code, as a daemon that has planned every
     * probe round for a while does. A cold JVM interprets the planner and spends milliseconds there.
     */
    static void warmUp(State state, int n) {
        Optional<State.Link> wan1 = state.links().values().stream().filter(l -> l.name().equals("wan1")).findFirst();
        if (wan1.isEmpty()) {
            return;
        }
        State.Link l = wan1.get();
        Desired before = Planner.plan(state);
        EventEncoder log = new EventEncoder();
        long sink = 0;
        for (int i = 0; i < n; i++) {
            boolean carrier = i % 2 == 1;
            Event e = new Event.LinkChanged(state.now(), l.ifindex(), l.name(), true, carrier, carrier ? "up" : "down");
            sink += log.encode(new LoggedEvent(i, e)).length();
            State after = Reducer.reduce(state, e).state();
            sink += Diff.diff(before, Planner.plan(after)).size();
        }
        if (sink < 0) {
            throw new IllegalStateException("unreachable");
        }
    }

    /**
     * What a fw4-reload design does per event: plan, render the complete table and load it with a forked {@code nft -f}
     * (in the router's namespace; the process is spawned from a thread inside it).
     */
    private List<Double> baseline(Desired full, int runs) throws Exception {
        List<Double> out = new ArrayList<>();
        Path script = Files.createTempFile("mwan4-baseline", ".nft");
        try (NetnsThread ns = NetnsThread.enter(lab.router().name())) {
            for (int i = 0; i < runs + WARM_UP_RUNS; i++) {
                long t0 = System.nanoTime();
                String text = "flush table inet fw4\n" + NftRender.script(Diff.diff(Desired.empty(), withoutIp(full))).text();
                Files.writeString(script, text);
                Process p = ns.call(() -> new ProcessBuilder("nft", "-f", script.toString()).redirectErrorStream(true).start());
                String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                int code = p.waitFor();
                if (code != 0) {
                    throw new IllegalStateException("baseline nft -f failed (exit " + code + "): " + said.strip());
                }
                if (i >= WARM_UP_RUNS) {
                    out.add(ms(System.nanoTime() - t0));
                }
            }
            ns.call(() -> new ProcessBuilder("nft", "flush", "table", "inet", "fw4").start()).waitFor();
        } finally {
            Files.deleteIfExists(script);
        }
        return out;
    }

    /**
     * The nft part of {@code d}, minus the {@code socket cgroupv2} rules of {@code mwan4 use}: the baseline runs after the
     * daemon stopped and removed its cgroups, and nft resolves a cgroup path when it loads the rule (two rules of ~100).
     */
    private static Desired withoutIp(Desired d) {
        java.util.TreeMap<String, NftChain> chains = new java.util.TreeMap<>();
        d.chains().forEach((name, c) -> chains.put(name, new NftChain(name, c.hook(),
                c.rules().stream().filter(r -> !r.contains("socket cgroupv2")).toList())));
        return new Desired(d.sets(), chains, new java.util.TreeSet<>(), new java.util.TreeSet<>());
    }

    /** Dead WAN (targets blackholed) detection at interval 0.2 s, down 3; then false failovers at 5 % loss. */
    private void probeDetection(int runs, int quietSeconds) throws Exception {
        List<Double> detection = new ArrayList<>();
        try (InProcessDaemon d = start(config(200, 3, 3, 1, 2))) {
            await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
            List<IpAddress> targets = lab.internet().targets(Family.IPV4);
            for (int i = 0; i < runs; i++) {
                Thread.sleep(150 + 37 * i % 200); // land at different points of the round
                long t0 = System.nanoTime();
                targets.forEach(lab.isp(1)::blackhole);
                await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.OFFLINE);
                detection.add(ms(System.nanoTime() - t0));
                targets.forEach(lab.isp(1)::unblackhole);
                await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
            }
            int mark = size();
            lab.isps().forEach(i -> i.loss(5));
            long soakStart = System.nanoTime();
            Thread.sleep(quietSeconds * 1000L);
            lab.isps().forEach(i -> i.loss(0));
            List<DaemonNews> soak = since(mark);
            long falseFailovers = soak.stream().filter(n -> n instanceof DaemonNews.StatusChanged s && s.leavesService()).count();
            long statusChanges = soak.stream().filter(DaemonNews.StatusChanged.class::isInstance).count();
            long transactions = soak.stream().filter(DaemonNews.Applied.class::isInstance).count();
            out.println("== probe detection, interval 0.2 s, down 3, up 3, 2 targets, reliability 1");
            out.println(row("dead WAN (targets blackholed) -> offline", detection));
            out.printf(Locale.ROOT, "soak: 5 %% random loss on both WANs for %.0f s (%.0f probe rounds per WAN): false failovers %d,"
                    + " status changes %d, kernel transactions %d; load average %s%n", (System.nanoTime() - soakStart) / 1e9,
                    quietSeconds / 0.2, falseFailovers, statusChanges, transactions, BenchArgs.loadAverage());
        }
    }

    /** wan1 flaps at 10 Hz; transactions stay far below link events and the end state is right. */
    private void flapStorm(int seconds) throws Exception {
        try (InProcessDaemon d = start(config(1000, 3, 3, 1, 1))) {
            await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
            Thread.sleep(200);
            long rssBefore = rssKb();
            int mark = size();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int flaps = 0;
            List<Long> rss = new ArrayList<>();
            long nextSample = System.nanoTime();
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextSample) {
                    rss.add(rssKb() / 1024);
                    nextSample += 10_000_000_000L;
                }
                lab.isp(1).linkDown();
                Thread.sleep(50);
                lab.isp(1).linkUp();
                Thread.sleep(50);
                flaps++;
            }
            rss.add(rssKb() / 1024);
            await(() -> d.status("wan1", Family.IPV4) == TrackerStatus.ONLINE);
            Thread.sleep(500);
            List<DaemonNews> during = since(mark);
            long links = during.stream().filter(n -> n instanceof DaemonNews.LinkSeen l && l.device().equals("wan1")).count();
            long transactions = during.stream().filter(DaemonNews.Applied.class::isInstance).count();
            System.gc();
            Thread.sleep(200);
            long rssAfter = rssKb();
            var tally = lab.lanClient().tally(lab.internet().server(Family.IPV4), 50);
            out.println("== flap storm: wan1 carrier down/up at 10 Hz for " + seconds + " s (" + flaps + " flaps)");
            out.printf(Locale.ROOT, "wan1 link notifications %d, kernel transactions %d; end state wan1 %s, new connections %s%n",
                    links, transactions, d.status("wan1", Family.IPV4), tally);
            out.printf(Locale.ROOT, "RSS before %d MiB, every 10 s during the storm %s MiB, after a forced GC %d MiB; load average %s%n",
                    rssBefore / 1024, rss, rssAfter / 1024, BenchArgs.loadAverage());
        }
    }

    private int size() {
        synchronized (news) {
            return news.size();
        }
    }

    private List<DaemonNews> since(int mark) {
        synchronized (news) {
            return List.copyOf(news.subList(mark, news.size()));
        }
    }

    private <T extends DaemonNews> Optional<T> find(int mark, Class<T> type) {
        return since(mark).stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not reached within 15 s");
            }
            Thread.sleep(2);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double pct(List<Double> xs, int p) {
        List<Double> s = xs.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }

    private static String row(String what, List<Double> xs) {
        return String.format(Locale.ROOT, "%-62s p50 %8.3f ms  p99 %8.3f ms  (n=%d)", what, pct(xs, 50), pct(xs, 99), xs.size());
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
