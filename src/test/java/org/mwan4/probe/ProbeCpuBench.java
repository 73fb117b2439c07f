package org.mwan4.probe;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.TargetStatus;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.testing.TestNetns;

/**
 * CPU benchmark (a main, not a unit test: JMH measures time per operation, this measures the CPU a steady
 * load costs): 500 targets probed at 1 Hz by the engine, against forking {@code ping -c1 -W1} per target.
 *
 * <p>Lab: namespace R with veth wan0 (192.0.2.1/24) to namespace T, which holds 500 addresses
 * (198.51.100.1-250, 203.0.113.1-250) on lo, answered by T's kernel.
 * Engine: {@code trackers} trackers of 500/trackers targets each, ping, interval 1 s, timeout 1 s, starts
 * staggered over the first second. CPU = the whole JVM process's CPU time (OperatingSystemMXBean) over the
 * measured window, after a warm-up; the loop thread's own CPU is shown too.
 * Baseline: {@code ping -c1 -W1 -I wan0 <target>} forked from a thread inside R, {@code samples} times
 * one after another; CPU = CPU time of the reaped children (cutime+cstime from /proc/self/stat) per ping, times 500
 * per second. That leaves out the forking JVM's own cost, so the baseline is a lower bound (mwan3 also
 * paid for its shell).
 *
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *      org.mwan4.probe.ProbeCpuBench [trackers=50] [seconds=20] [samples=200]
 * </pre>
 */
public final class ProbeCpuBench {
    private static final int TARGETS = 500;

    public static void main(String[] args) throws Exception {
        int trackers = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        if (!TestNetns.isRoot()) {
            System.err.println("needs root (network namespaces)");
            System.exit(2);
        }
        try (TestNetns r = TestNetns.create("bcr"); TestNetns t = TestNetns.create("bct")) {
            List<IpAddress> targets = lab(r, t);
            double engineCores = engine(r, targets, trackers, seconds);
            double pingCpuSeconds = forkBaseline(r, targets, samples);
            double baselineCores = pingCpuSeconds * TARGETS; // 500 pings a second
            System.out.printf("fork baseline: %.2f ms CPU per ping (children only) -> %.1f %% of a core for %d pings/s%n",
                    pingCpuSeconds * 1e3, baselineCores * 100, TARGETS);
            System.out.printf("engine: %.2f %% of a core; baseline / engine = %.0fx%n", engineCores * 100, baselineCores / engineCores);
        }
    }

    private static List<IpAddress> lab(TestNetns r, TestNetns t) {
        r.exec("ip", "link", "add", "wan0", "type", "veth", "peer", "name", "t0", "netns", t.name());
        r.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "wan0");
        r.exec("ip", "link", "set", "wan0", "up");
        t.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "t0");
        t.exec("ip", "link", "set", "t0", "up");
        r.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.2", "dev", "wan0");
        r.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.2", "dev", "wan0");
        StringBuilder batch = new StringBuilder();
        List<IpAddress> targets = new ArrayList<>();
        for (String net : List.of("198.51.100.", "203.0.113.")) {
            for (int i = 1; i <= TARGETS / 2; i++) {
                batch.append("addr add ").append(net).append(i).append("/32 dev lo\n");
                targets.add(IpAddress.parse(net + i).orElseThrow());
            }
        }
        TestNetns.Result res = TestNetns.runWithInput(batch.toString(), "ip", "-n", t.name(), "-batch", "-");
        if (res.code() != 0) {
            throw new IllegalStateException("ip -batch failed: " + res.output());
        }
        String rps = System.getProperty("bench.rps");
        if (rps != null) {
            // receive processing of both veth ends on other CPUs (RPS), as a router's NIC softirq and the remote target
            // would do it: otherwise the target's echo replies are computed inside our sendto(2) and billed to the engine
            t.exec("sh", "-c", "echo " + rps + " > /sys/class/net/t0/queues/rx-0/rps_cpus");
            r.exec("sh", "-c", "echo " + rps + " > /sys/class/net/wan0/queues/rx-0/rps_cpus");
        }
        return targets;
    }

    private static double engine(TestNetns r, List<IpAddress> targets, int trackers, int seconds) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AtomicLong answered = new AtomicLong();
        AtomicLong probed = new AtomicLong();
        AtomicLong loopThread = new AtomicLong(-1);
        try (ProbeEngine engine = ProbeEngine.start(r.name(), Clock.systemUTC(), e -> {
            loopThread.compareAndSet(-1, Thread.currentThread().threadId());
            probed.addAndGet(e.results().size());
            answered.addAndGet(e.results().stream().filter(x -> x.status() == TargetStatus.UP).count());
        })) {
            int per = targets.size() / trackers;
            for (int i = 0; i < trackers; i++) {
                var tracking = TestTracking.of(TrackMethod.PING, targets.subList(i * per, (i + 1) * per).toArray(IpAddress[]::new))
                        .reliability(per).count(1).timeout(Duration.ofSeconds(1)).interval(Duration.ofSeconds(1)).build();
                engine.apply(new Effect.StartTracker("b" + i, Family.IPV4, "wan0", null, 0x3F00, tracking,
                        Duration.ofMillis(1000L * i / trackers), tracking.interval()));
            }
            Thread.sleep(Long.getLong("bench.warmup", 60) * 1000); // warm-up: JIT (C2 compiles for a while at 500 probes/s), neighbour entries
            java.util.Map<String, Long> perThread0 = taskTicks();
            long cpu0 = os.getProcessCpuTime();
            long loop0 = threads.getThreadCpuTime(loopThread.get());
            long loopUser0 = threads.getThreadUserTime(loopThread.get());
            long wall0 = System.nanoTime();
            long answered0 = answered.get();
            long probed0 = probed.get();
            Thread.sleep(seconds * 1000L);
            long cpu = os.getProcessCpuTime() - cpu0;
            long loop = threads.getThreadCpuTime(loopThread.get()) - loop0;
            long loopUser = threads.getThreadUserTime(loopThread.get()) - loopUser0;
            long wall = System.nanoTime() - wall0;
            double rate = (probed.get() - probed0) * 1e9 / wall;
            if (Boolean.getBoolean("bench.threads")) {
                taskTicks().forEach((name, ticks) -> {
                    long d = ticks - perThread0.getOrDefault(name, 0L);
                    if (d > 0) {
                        System.out.printf("  thread %-30s %d ticks%n", name, d);
                    }
                });
            }
            System.out.printf("engine: %d trackers x %d targets, %.0f s: %.1f probes/s, %d of %d answered%n",
                    trackers, per, wall / 1e9, rate, answered.get() - answered0, probed.get() - probed0);
            System.out.printf("engine: process CPU %.3f s = %.2f %% of a core; loop thread %.3f s = %.2f %% (user %.2f %%, kernel %.2f %%)%n",
                    cpu / 1e9, 100.0 * cpu / wall, loop / 1e9, 100.0 * loop / wall, 100.0 * loopUser / wall, 100.0 * (loop - loopUser) / wall);
            return (double) cpu / wall;
        }
    }

    private static double forkBaseline(TestNetns r, List<IpAddress> targets, int samples) throws Exception {
        long[] before = childTicks();
        long wall0 = System.nanoTime();
        int failed;
        // forked from a thread inside R: a child process starts in the namespace of the thread that forks it
        try (NetnsThread inside = NetnsThread.enter(r.name())) {
            failed = inside.call(() -> {
                int f = 0;
                for (int i = 0; i < samples; i++) {
                    Process p = new ProcessBuilder("ping", "-q", "-c1", "-W1", "-I", "wan0", targets.get(i % targets.size()).toString())
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    f += p.waitFor() == 0 ? 0 : 1;
                }
                return f;
            });
        }
        long[] after = childTicks();
        double childSeconds = ((after[0] - before[0]) + (after[1] - before[1])) / 100.0; // CLK_TCK = 100
        System.out.printf("fork baseline: %d x ping -c1 -W1 -I wan0 in %.1f s, %d failed; children CPU %.2f s%n",
                samples, (System.nanoTime() - wall0) / 1e9, failed, childSeconds);
        return childSeconds / samples;
    }

    /** utime+stime per thread (including the JVM's own GC and compiler threads), by "tid name". */
    private static java.util.Map<String, Long> taskTicks() throws Exception {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.put(t.getFileName() + " " + name, Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]));
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    /** cutime and cstime of this process (fields 16 and 17 of /proc/self/stat): CPU of waited-for children, in ticks. */
    private static long[] childTicks() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): field n is f[n - 3]
        return new long[] {Long.parseLong(f[16 - 3]), Long.parseLong(f[17 - 3])};
    }
}
