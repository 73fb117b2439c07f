package org.mwan4.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.nft.LibNftables;
import org.mwan4.kernel.nft.NftBinary;
import org.mwan4.kernel.nft.SetElementCodec;
import org.mwan4.kernel.nft.SetElements;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.Op;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * nftables transactions against the real kernel, in a network namespace the benchmark creates
 * ({@code ip netns add mwan4b-nft-*}) and removes. Needs root.
 *
 * <ul>
 *   <li>{@code strategyRewrite}: one strategy-chain rewrite (flush chain + 3 rules, one transaction) through
 *       libnftables over FFM vs a forked {@code nft -f -}. Goal: &lt; 0.5 ms per transaction via FFM.</li>
 *   <li>{@code failoverRewrite*}: the planner's failover rewrite of one strategy chain through libnftables vs the
 *       direct nf_tables batch ({@link LibNftables#replaceChains}); sampled, so the tail shows.</li>
 *   <li>{@code sync100kPrefixesLibnftables}: 100k IPv6 prefixes into an empty interval set, 10k per
 *       {@code add element} command, in {@code transactions} transactions, through nft's parser.</li>
 *   <li>{@code sync100kPrefixesDirect}: the same 100k prefixes as one nf_tables netlink batch
 *       ({@link LibNftables#applyElements}). Goal: &lt; 1 s.</li>
 *   <li>{@code encode100kPrefixes}: encoding that batch, without the kernel.</li>
 *   <li>{@code churn10In100k*}: route churn, 10 prefixes deleted and 10 added in a set of 100k, through the direct
 *       path and through libnftables (which dumps the whole set before changing it).</li>
 * </ul>
 * Run: {@code java -jar target/benchmarks.jar NftBench -jvmArgsAppend --enable-native-access=ALL-UNNAMED}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NftBench {
    static final String MASK = "0x00003f00";

    /** One namespace with a libnftables context and the nft program pointed at it. */
    @State(Scope.Benchmark)
    public static class Kernel {
        String netns;
        NetnsThread thread;
        LibNftables lib;
        NftBinary bin;

        @Setup(Level.Trial)
        public void create() {
            netns = "mwan4b-nft-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
            run("ip", "netns", "add", netns);
            thread = NetnsThread.enter(netns);
            lib = LibNftables.open(thread);
            bin = NftBinary.open(netns);
            lib.apply(script(List.of(
                    "add table inet fw4",
                    "add chain inet fw4 mwan4_strategy_balanced_ipv4",
                    "add chain inet fw4 mwan4_prerouting { type filter hook prerouting priority mangle; policy accept; }",
                    "add rule inet fw4 mwan4_prerouting meta mark & " + MASK + " == 0x00000000 jump mwan4_strategy_balanced_ipv4")));
        }

        @TearDown(Level.Trial)
        public void remove() {
            lib.close();
            thread.close();
            run("ip", "netns", "del", netns);
        }
    }

    /** flush chain + 3 rules (wan 2/5, wanb 3/5, default) as the planner renders a ReplaceChain op. */
    static final NftScript REWRITE = script(List.of(
            "flush chain inet fw4 mwan4_strategy_balanced_ipv4",
            "add rule inet fw4 mwan4_strategy_balanced_ipv4 meta mark & " + MASK + " == 0x00000000 numgen random mod 5 < 2"
                    + " meta mark set meta mark & 0xffffc1ff | 0x00000100 comment \"wan 2 5\"",
            "add rule inet fw4 mwan4_strategy_balanced_ipv4 meta mark & " + MASK + " == 0x00000000"
                    + " meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb 3 5\"",
            "add rule inet fw4 mwan4_strategy_balanced_ipv4 meta mark & " + MASK + " == 0x00000000"
                    + " meta mark set meta mark | " + MASK + " comment \"default\""));

    @Benchmark
    public void strategyRewriteLibnftables(Kernel k) {
        k.lib.apply(REWRITE);
    }

    /** The planner's failover rewrite (wan 2/5 as {@code numgen ... 0-1}, wanb 3/5, default) as chain rules. */
    static final List<NftChain> PLANNED = List.of(new NftChain("mwan4_strategy_balanced_ipv4", null, List.of(
            "meta mark & " + MASK + " == 0x00000000 numgen random mod 5 0-1 meta mark set meta mark & 0xffffc1ff | 0x00000100"
                    + " comment \"wan 2 5\"",
            "meta mark & " + MASK + " == 0x00000000 meta mark set meta mark & 0xffffc2ff | 0x00000200 comment \"wanb 3 5\"",
            "meta mark & " + MASK + " == 0x00000000 meta mark set meta mark | " + MASK + " comment \"default\"")));
    static final NftScript PLANNED_SCRIPT = NftRender.script(List.of(new Op.ReplaceChain(PLANNED.getFirst())));

    /** {@link #PLANNED} through libnftables (parse, cache fetch, evaluate, batch): what a failover cost before. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void failoverRewriteLibnftables(Kernel k) {
        k.lib.apply(PLANNED_SCRIPT);
    }

    /** {@link #PLANNED} through the direct nf_tables batch ({@link LibNftables#replaceChains}). Goal: well under 0.5 ms. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void failoverRewriteDirect(Kernel k) {
        k.lib.replaceChains(PLANNED);
    }

    @Benchmark
    @Warmup(iterations = 2, time = 2)
    public void strategyRewriteNftFork(Kernel k) {
        k.bin.apply(REWRITE);
    }

    /** The 100k element load, pre-rendered; the set is re-created empty before every invocation. */
    @State(Scope.Benchmark)
    public static class Prefixes {
        /** Transactions the 100k elements are split into (10k per add-element command either way). */
        @Param({"1", "10"})
        int transactions;

        /** The planner's managed sets are {@code flags interval} without auto-merge; user sets keep auto-merge. */
        @Param({"false", "true"})
        boolean autoMerge;

        List<NftScript> load;
        NftScript recreate;

        @Setup(Level.Trial)
        public void render() {
            List<String> commands = new ArrayList<>();
            for (int batch = 0; batch < 10; batch++) {
                StringBuilder sb = new StringBuilder("add element inet fw4 mwan4_connected_ipv6 { ");
                for (int i = batch * 10_000; i < (batch + 1) * 10_000; i++) {
                    // distinct, non-adjacent /64s inside 2001:db8::/32
                    sb.append(i > batch * 10_000 ? ", " : "").append(String.format("2001:db8:%x:%x::/64", i / 1000, (i % 1000) * 2));
                }
                commands.add(sb.append(" }").toString());
            }
            load = new ArrayList<>();
            int per = commands.size() / transactions;
            for (int t = 0; t < transactions; t++) {
                load.add(script(commands.subList(t * per, (t + 1) * per)));
            }
            recreate = script(List.of(
                    "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }",
                    "delete set inet fw4 mwan4_connected_ipv6",
                    "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval;" + (autoMerge ? " auto-merge;" : "") + " }"));
        }

        @Setup(Level.Invocation)
        public void emptySet(Kernel k) {
            k.lib.apply(recreate);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 5)
    public void sync100kPrefixesLibnftables(Kernel k, Prefixes p) {
        for (NftScript s : p.load) {
            k.lib.apply(s);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public void sync100kPrefixesDirect(Kernel k, Direct d) {
        k.lib.applyElements(List.of(d.load));
    }

    /** Encoding alone (no kernel): what the direct path adds on top of the kernel's own work. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SetElementCodec.Batch encode100kPrefixes(Encoding e) {
        return SetElementCodec.encode(List.of(e.load), 1);
    }

    @State(Scope.Benchmark)
    public static class Encoding {
        SetElements load = SetElements.add("mwan4_connected_ipv6", Family.IPV6, prefixes(0, 100_000));
    }

    /** The 100k prefixes as one element change; the set is re-created empty before every invocation. */
    @State(Scope.Benchmark)
    public static class Direct {
        SetElements load;
        NftScript recreate;

        @Setup(Level.Trial)
        public void prepare() {
            load = SetElements.add("mwan4_connected_ipv6", Family.IPV6, prefixes(0, 100_000));
            recreate = script(List.of(
                    "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }",
                    "delete set inet fw4 mwan4_connected_ipv6",
                    "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }"));
        }

        @Setup(Level.Invocation)
        public void emptySet(Kernel k) {
            k.lib.apply(recreate);
        }
    }

    /**
     * A set of 100k prefixes (filled once per trial through the direct path) and two groups of 10 more:
     * each invocation swaps which group is in the set, so every call deletes 10 and adds 10.
     */
    @State(Scope.Benchmark)
    public static class Churn {
        SetElements swapIn;
        SetElements swapOut;
        NftScript swapInText;
        NftScript swapOutText;
        boolean in;

        @Setup(Level.Trial)
        public void fill(Kernel k) {
            SortedSet<Cidr> a = prefixes(100_000, 100_010);
            SortedSet<Cidr> b = prefixes(100_010, 100_020);
            k.lib.apply(script(List.of(
                    "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }",
                    "delete set inet fw4 mwan4_connected_ipv6",
                    "add set inet fw4 mwan4_connected_ipv6 { type ipv6_addr; flags interval; }")));
            SortedSet<Cidr> base = prefixes(0, 100_000);
            base.addAll(b);
            k.lib.applyElements(List.of(SetElements.add("mwan4_connected_ipv6", Family.IPV6, base)));
            swapIn = new SetElements("mwan4_connected_ipv6", Family.IPV6, a, b);
            swapOut = new SetElements("mwan4_connected_ipv6", Family.IPV6, b, a);
            swapInText = SetElements.script(List.of(swapIn));
            swapOutText = SetElements.script(List.of(swapOut));
            in = false;
        }
    }

    @Benchmark
    public void churn10In100kDirect(Kernel k, Churn c) {
        k.lib.applyElements(List.of(c.in ? c.swapOut : c.swapIn));
        c.in = !c.in;
    }

    @Benchmark
    @Warmup(iterations = 1, time = 2)
    @Measurement(iterations = 3, time = 2)
    public void churn10In100kLibnftables(Kernel k, Churn c) {
        k.lib.apply(c.in ? c.swapOutText : c.swapInText);
        c.in = !c.in;
    }

    /** Distinct, non-adjacent /64s inside 2001:db8::/32, numbered {@code from} (inclusive) to {@code to}. */
    static SortedSet<Cidr> prefixes(int from, int to) {
        SortedSet<Cidr> out = new TreeSet<>();
        for (int i = from; i < to; i++) {
            out.add(Cidr.parse(String.format("2001:db8:%x:%x::/64", i / 1000, (i % 1000) * 2)).orElseThrow());
        }
        return out;
    }

    static NftScript script(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        int[] opOfLine = new int[lines.size()];
        List<String> summaries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            opOfLine[i] = i;
            summaries.add(lines.get(i).length() > 60 ? lines.get(i).substring(0, 60) + "..." : lines.get(i));
        }
        return new NftScript(text.toString(), opOfLine, summaries);
    }

    static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
