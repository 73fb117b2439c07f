package org.mwan4.bench;

import org.mwan4.core.Event;
import org.mwan4.core.Reducer;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.Tracker;
import org.mwan4.core.TrackerStatus;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.NftScript;
import org.mwan4.plan.Op;
import org.mwan4.plan.PlanMemo;
import org.mwan4.plan.Planner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The planner's share of one tracker event: 8 dual-stack WANs, 4 strategies, 50 rules (5 sticky), a router's
 * worth of routes (472 in the interface tables); wan1's IPv4 tracker flips between online and offline.
 * <ul>
 *   <li>{@code eventPlanAndDiff}: what the runtime does per probe event, with a {@link PlanMemo}: plan the next
 *       state, diff against the previous plan (goal, with the reducer added later: under 50 us);</li>
 *   <li>{@code eventPlanDiffAndScript}: the same plus rendering the ops to the nft transaction;</li>
 *   <li>{@code fullPlan}, {@code fullPlanAndDiff}: planning from scratch (startup, config reload, route change).</li>
 * </ul>
 *
 * <pre>
 * mvn -B -o -Pbench -DskipTests package
 * java --enable-native-access=ALL-UNNAMED -jar target/benchmarks.jar PlanBench -f 1 -wi 3 -i 5
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@org.openjdk.jmh.annotations.State(Scope.Benchmark)
public class PlanBench {
    static final int WANS = 8;

    State before;
    State after;
    Desired planned;
    PlanMemo memo;
    Desired last;
    boolean flip;

    @Setup
    public void setup() throws Exception {
        Config config = ConfigLoader.load("bench", config(), null);
        before = state(config, TrackerStatus.ONLINE);
        // as the reducer does for a probe event: same facts instances, one tracker replaced
        TreeMap<State.TrackerKey, Tracker> trackers = new TreeMap<>(before.trackers());
        trackers.put(new State.TrackerKey("wan1", Family.IPV4), Tracker.withStatus(TrackerStatus.OFFLINE));
        after = new State(before.config(), before.links(), before.addresses(), before.routes(), trackers,
                before.operatorDown(), before.now());
        planned = Planner.plan(before);
        List<Op> ops = Diff.diff(planned, Planner.plan(after));
        if (ops.isEmpty()) {
            throw new IllegalStateException("the flip changes nothing; the benchmark would measure an empty diff");
        }
        memo = new PlanMemo();
        last = memo.plan(before);
    }

    /** One probe event: the tracker flips, the memo re-plans strategies, diff against the last plan. */
    @Benchmark
    public List<Op> eventPlanAndDiff() {
        flip = !flip;
        Desired next = memo.plan(flip ? after : before);
        List<Op> ops = Diff.diff(last, next);
        last = next;
        return ops;
    }

    // the whole per-event path: reducer + PlanMemo + diff, fed real probe events (wan1/ipv4 alternately fails
    // and answers; down 1 / up 1, so every event flips the tracker and rewrites strategy chains)
    Reducer reducer;
    State reduced;
    PlanMemo reducedMemo;
    Desired reducedLast;
    Event[] rounds;
    long roundNo;

    @Setup
    public void setupReducer() throws Exception {
        reducer = Reducer.standard();
        State facts = state(ConfigLoader.load("bench", config(), null), TrackerStatus.ONLINE);
        List<Event.LinkChanged> links = facts.links().values().stream()
                .map(l -> new Event.LinkChanged(Instant.EPOCH, l.ifindex(), l.name(), true, true, "UP")).toList();
        List<Event.AddressAdded> addrs = new java.util.ArrayList<>();
        facts.addresses().forEach((idx, set) -> set.forEach(c -> addrs.add(new Event.AddressAdded(Instant.EPOCH, idx, c))));
        State s = reducer.apply(State.initial(), new Event.ConfigLoaded(Instant.EPOCH, "bench", config(), null, null)).state();
        s = reducer.apply(s, new Event.NetlinkResynced(Instant.EPOCH, links, addrs, List.copyOf(facts.routes()))).state();
        reduced = s;
        IpAddress target = IpAddress.parse("192.0.2.1").orElseThrow();
        rounds = new Event[] {
            new Event.ProbeRoundFinished(Instant.EPOCH, "wan1", Family.IPV4,
                    List.of(new Event.TargetResult(target, Event.TargetStatus.DOWN, null, 100, null))),
            new Event.ProbeRoundFinished(Instant.EPOCH, "wan1", Family.IPV4,
                    List.of(new Event.TargetResult(target, Event.TargetStatus.UP, 5.0, 0, null)))};
        reducedMemo = new PlanMemo();
        reducedLast = reducedMemo.plan(reduced);
        if (Diff.diff(reducedLast, Planner.plan(reducer.apply(reduced, rounds[0]).state())).isEmpty()) {
            throw new IllegalStateException("a failed round changes nothing; the benchmark would measure an empty diff");
        }
    }

    /** One probe event end to end in the pure core: reduce, plan (memoised), diff. Goal: under 50 us. */
    @Benchmark
    public List<Op> eventReducePlanAndDiff() {
        Event e = rounds[(int) (roundNo++ & 1)];
        reduced = reducer.apply(reduced, e).state();
        Desired next = reducedMemo.plan(reduced);
        List<Op> ops = Diff.diff(reducedLast, next);
        reducedLast = next;
        return ops;
    }

    @Benchmark
    public NftScript eventPlanDiffAndScript() {
        return NftRender.script(eventPlanAndDiff());
    }

    @Benchmark
    public Desired fullPlan() {
        return Planner.plan(after);
    }

    @Benchmark
    public List<Op> fullPlanAndDiff() {
        return Diff.diff(planned, Planner.plan(after));
    }

    static String config() {
        StringBuilder sb = new StringBuilder("config globals 'globals'\n\toption mmx_mask '0x3F00'\n\tlist rt_table_lookup '100'\n");
        for (int i = 1; i <= WANS; i++) {
            sb.append("config interface 'wan").append(i).append("'\n\toption enabled '1'\n\toption device 'eth").append(i)
                    .append("'\n\tlist family 'ipv4'\n\tlist family 'ipv6'\n\tlist track_ip '192.0.2.").append(i)
                    .append("'\n\tlist track_ip '2001:db8::").append(i).append("'\n\toption down '1'\n\toption up '1'\n");
            sb.append("config route 'r").append(i).append("'\n\toption interface 'wan").append(i).append("'\n\toption metric '")
                    .append(i <= 4 ? 1 : 2).append("'\n\toption weight '").append(i).append("'\n");
        }
        sb.append("config strategy 'balanced'\n");
        for (int i = 1; i <= WANS; i++) {
            sb.append("\tlist use_route 'r").append(i).append("'\n");
        }
        sb.append("config strategy 'first'\n\tlist use_route 'r1'\n\tlist use_route 'r5'\n\toption last_resort 'default'\n");
        sb.append("config strategy 'second'\n\tlist use_route 'r2'\n\tlist use_route 'r6'\n\toption last_resort 'blackhole'\n");
        sb.append("config strategy 'backup'\n\tlist use_route 'r5'\n\tlist use_route 'r6'\n\tlist use_route 'r7'\n");
        String[] strategies = {"balanced", "first", "second", "backup"};
        for (int i = 0; i < 50; i++) {
            sb.append("config rule 'rule").append(i).append("'\n\toption use_strategy '").append(strategies[i % 4]).append("'\n");
            switch (i % 5) {
                case 0 -> sb.append("\toption proto 'tcp'\n\toption dest_port '").append(1000 + i).append(",443,8000-8080'\n");
                case 1 -> sb.append("\toption dest_ip '203.0.113.").append(i).append("'\n");
                case 2 -> sb.append("\tlist src_ip '198.51.100.").append(i).append("'\n\tlist src_ip '198.51.100.").append(100 + i).append("'\n");
                case 3 -> sb.append("\toption dest_ip '2001:db8:").append(Integer.toHexString(i)).append("::/48'\n");
                default -> sb.append("\toption proto 'udp'\n\toption src_port '").append(2000 + i).append("'\n");
            }
            if (i % 10 == 0) {
                sb.append("\toption sticky '1'\n");
            }
        }
        return sb.toString();
    }

    /** Links, addresses and routes of 8 WANs and a LAN; every tracker online except wan1/ipv4 in {@code wan1v4}. */
    static State state(Config config, TrackerStatus wan1v4) {
        TreeMap<Integer, State.Link> links = new TreeMap<>();
        TreeMap<Integer, java.util.SortedSet<Cidr>> addresses = new TreeMap<>();
        TreeSet<RouteFact> routes = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        TreeMap<State.TrackerKey, Tracker> trackers = new TreeMap<>();
        links.put(1, new State.Link(1, "lo", true, true, "UNKNOWN"));
        links.put(2, new State.Link(2, "br-lan", true, true, "UP"));
        for (int i = 1; i <= WANS; i++) {
            int idx = 2 + i;
            links.put(idx, new State.Link(idx, "eth" + i, true, true, "UP"));
            Cidr v4 = cidr("192.0.2." + (i * 8 + 2) + "/29");
            Cidr v6 = cidr("2001:db8:" + i + "::2/64");
            addresses.put(idx, new TreeSet<>(List.of(v4, v6)));
            routes.add(route(254, "0.0.0.0/0", "192.0.2." + (i * 8 + 1), idx, 10 * i, "unicast", null));
            routes.add(route(254, v4.network().toString(), null, idx, 0, "unicast", null));
            routes.add(route(255, "192.0.2." + (i * 8 + 2), null, idx, 0, "local", null));
            routes.add(route(254, "::/0", "fe80::" + i, idx, 512, "unicast", "2001:db8:" + i + "::/64"));
            routes.add(route(254, v6.network().toString(), null, idx, 256, "unicast", null));
            routes.add(route(254, "fe80::/64", null, idx, 256, "unicast", null));
            routes.add(route(255, "2001:db8:" + i + "::2", null, idx, 0, "local", null));
            for (Family f : Family.values()) {
                TrackerStatus s = i == 1 && f == Family.IPV4 ? wan1v4 : TrackerStatus.ONLINE;
                trackers.put(new State.TrackerKey("wan" + i, f), Tracker.withStatus(s));
            }
        }
        for (int n = 0; n < 20; n++) {
            routes.add(route(254, "198.51.100." + (n * 8) + "/29", null, 2, 0, "unicast", null));
            routes.add(route(100, "203.0.113." + (n * 8) + "/29", "192.0.2.9", 3, 0, "unicast", null));
        }
        return new State(config, links, addresses, routes, trackers, new TreeSet<>(), Instant.EPOCH);
    }

    private static RouteFact route(int table, String dest, String via, int ifindex, int metric, String type, String from) {
        Cidr d = cidr(dest);
        return new RouteFact(table, d.family(), d, via == null ? null : IpAddress.parse(via).orElseThrow(), ifindex, metric,
                type, 4, 0, from == null ? null : cidr(from), null);
    }

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow(() -> new IllegalArgumentException(s.toLowerCase(Locale.ROOT)));
    }
}
