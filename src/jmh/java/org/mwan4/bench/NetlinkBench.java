package org.mwan4.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.netlink.NlCodec;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.kernel.netlink.NlMessage;
import org.mwan4.kernel.netlink.RouteMessage;
import org.mwan4.kernel.netlink.RtnetlinkClient;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.Op;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * rtnetlink through FFM against forking {@code ip}, in a namespace the benchmark creates and removes
 * (needs root), and decode speed of route messages.
 *
 * <pre>
 * mvn -B -o -Pbench -DskipTests package
 * java --enable-native-access=ALL-UNNAMED -jar target/benchmarks.jar NetlinkBench
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NetlinkBench {

    /** A throwaway namespace with one veth, an rtnetlink client inside, and the ops to add and delete. */
    @State(Scope.Benchmark)
    public static class Namespace {
        String name;
        NetnsThread thread;
        RtnetlinkClient client;
        List<Op> add;
        List<Op> delete;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            name = "mwan4b-netlink-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
            run("ip", "netns", "add", name);
            run("ip", "-n", name, "link", "add", "wan", "type", "veth", "peer", "name", "wanb");
            run("ip", "-n", name, "addr", "add", "192.0.2.1/24", "dev", "wan");
            run("ip", "-n", name, "link", "set", "wan", "up");
            run("ip", "-n", name, "link", "set", "wanb", "up");
            thread = NetnsThread.enter(name);
            client = RtnetlinkClient.open(thread);
            IpRule rule = new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 1);
            IpRoute route = new IpRoute(1, Cidr.parse("0.0.0.0/0").orElseThrow(), "unicast", IpAddress.v4(192, 0, 2, 254), "wan",
                    0, null, null, 4, 0);
            add = List.of(new Op.AddIpRule(rule), new Op.AddRoute(route));
            delete = List.of(new Op.DeleteIpRule(rule), new Op.DeleteRoute(route));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            client.close();
            thread.close();
            run("ip", "netns", "del", name);
        }

        void ip(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
            cmd.addAll(List.of(args));
            run(cmd.toArray(String[]::new));
        }
    }

    /** One datagram's worth of route messages, as a big dump delivers them. */
    @State(Scope.Thread)
    public static class Dump {
        static final int ROUTES = 100;
        byte[] bytes;

        @Setup
        public void setUp() {
            List<NlMessage> ms = new ArrayList<>();
            for (int i = 0; i < ROUTES; i++) {
                ms.add(new NlMessage(new NlHeader(RouteMessage.RTM_NEWROUTE, NlHeader.NLM_F_MULTI, 1, 4242),
                        new RouteMessage(2, 32, 0, 0, 100 + i % 8, 4, 0, 1, 0, IpAddress.v4(198, 51, 100, i), null,
                                IpAddress.v4(192, 0, 2, 254), 2, i, null)));
            }
            bytes = NlCodec.encode(ms);
        }
    }

    /** {@code ip rule add ...; ip route add ...} then both deletes, as two ACKed rtnetlink batches. */
    @Benchmark
    public void ffmAddDeleteRuleAndRoute(Namespace ns) {
        ns.client.apply(ns.add);
        ns.client.apply(ns.delete);
    }

    /** The same four changes by forking {@code ip -n NS ...} four times. */
    @Benchmark
    public void forkIpAddDeleteRuleAndRoute(Namespace ns) throws Exception {
        ns.ip("rule", "add", "pref", "2001", "fwmark", "0x100/0x3f00", "lookup", "1");
        ns.ip("route", "add", "default", "via", "192.0.2.254", "dev", "wan", "proto", "static", "table", "1");
        ns.ip("rule", "del", "pref", "2001", "fwmark", "0x100/0x3f00", "lookup", "1");
        ns.ip("route", "del", "default", "via", "192.0.2.254", "dev", "wan", "proto", "static", "table", "1");
    }

    /** Decoding time per route message (100 per datagram). */
    @Benchmark
    @OperationsPerInvocation(Dump.ROUTES)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public List<NlMessage> decodeRouteMessages(Dump d) {
        return NlCodec.decode(d.bytes);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out));
        }
    }
}
