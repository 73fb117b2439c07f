package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Interface;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;

/**
 * {@code apply(a, diff(a, b)) == b} for random pairs, where {@link Apply} refuses every op the kernel would refuse
 * at that point of the transaction (so an ordering mistake fails here, not on a router). Seeds are fixed: a
 * failure names its seed and replays.
 */
class DiffPropertyTest {

    @Test
    void plansOfRandomStatesConvergeInOneStep() {
        List<State> bases = TestStates.SCENARIOS.stream().map(TestStates::scenario).toList();
        Random rnd = new Random(20240601);
        for (int i = 0; i < 300; i++) {
            long seed = rnd.nextLong();
            Random r = new Random(seed);
            Desired a = Planner.plan(randomState(r, bases));
            Desired b = Planner.plan(randomState(r, bases));
            check(seed, a, b);
            check(seed, b, a);
        }
    }

    @Test
    void randomStructuresConvergeInOneStep() {
        Random rnd = new Random(42);
        for (int i = 0; i < 1000; i++) {
            long seed = rnd.nextLong();
            Random r = new Random(seed);
            check(seed, randomDesired(r), randomDesired(r));
        }
    }

    private static void check(long seed, Desired a, Desired b) {
        List<Op> ops = Diff.diff(a, b);
        Desired got;
        try {
            got = Apply.apply(a, ops);
        } catch (IllegalStateException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\nops: " + ops, e);
        }
        assertThat(got).as("seed %d", seed).isEqualTo(b);
        assertThat(Diff.diff(b, b)).as("seed %d: diff(x, x)", seed).isEmpty();
    }

    /** A scenario with its config swapped, trackers re-rolled, some routes and links gone, maybe an ifdown. */
    static State randomState(Random r, List<State> bases) {
        State s = bases.get(r.nextInt(bases.size()));
        if (r.nextInt(3) == 0) {
            s = TestStates.withConfig(s, bases.get(r.nextInt(bases.size())).config());
        }
        TrackerStatus[] statuses = TrackerStatus.values();
        for (Interface i : s.config().interfaces()) {
            for (Family f : i.families()) {
                s = TestStates.withStatus(s, i.name(), f, statuses[r.nextInt(statuses.length)]);
            }
        }
        List<RouteFact> routes = new ArrayList<>(s.routes().stream().filter(x -> r.nextInt(5) != 0).toList());
        if (r.nextBoolean()) {
            routes.add(TestStates.routeFact(RouteFact.TABLE_MAIN, "203.0.113." + (r.nextInt(4) * 64) + "/26", null,
                    s.links().firstKey(), 0, "unicast", 4, 253, null, null));
        }
        s = TestStates.withRoutes(s, routes);
        if (r.nextInt(4) == 0 && !s.config().interfaces().isEmpty()) {
            s = TestStates.withOperatorDown(s, s.config().interfaces().get(r.nextInt(s.config().interfaces().size())).name());
        }
        return s;
    }

    private static final List<String> CHAINS = List.of("mwan4_c0", "mwan4_c1", "mwan4_c2", "mwan4_c3", "mwan4_c4", "mwan4_c5");
    private static final List<String> SETS = List.of("mwan4_s0", "mwan4_s1", "mwan4_s2", "mwan4_s3");

    /** Chains that jump only to higher-numbered chains (nft forbids loops), sets with disjoint elements, ip objects. */
    static Desired randomDesired(Random r) {
        TreeMap<String, NftSet> sets = new TreeMap<>();
        for (int i = 0; i < SETS.size(); i++) {
            if (r.nextInt(3) == 0) {
                continue;
            }
            boolean managed = i % 2 == 0;
            TreeSet<Cidr> elements = new TreeSet<>();
            if (managed) {
                int base = r.nextInt(4);
                for (int e = 0; e < 6; e++) {
                    if (r.nextBoolean()) {
                        // a /24 or, disjoint from all of them, a /16 further up
                        elements.add(r.nextBoolean() ? new Cidr(IpAddress.v4(10, base, e, 0), 24) : new Cidr(IpAddress.v4(10, 100 + e, 0, 0), 16));
                    }
                }
            }
            sets.put(SETS.get(i), new NftSet(SETS.get(i), r.nextInt(4) == 0 ? "ipv4_addr . mark" : "ipv4_addr", managed,
                    r.nextInt(3) == 0 ? 60 * (1 + r.nextInt(2)) : 0, elements, managed));
        }
        TreeMap<String, NftChain> chains = new TreeMap<>();
        for (int i = CHAINS.size() - 1; i >= 0; i--) {
            if (r.nextInt(3) == 0) {
                continue;
            }
            List<String> rules = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                int pick = r.nextInt(3);
                List<String> laterChains = CHAINS.subList(i + 1, CHAINS.size()).stream().filter(chains::containsKey).toList();
                List<String> presentSets = new ArrayList<>(sets.keySet());
                if (pick == 0 && !laterChains.isEmpty()) {
                    rules.add("meta mark & 0x00003f00 == 0x00000000 jump " + laterChains.get(r.nextInt(laterChains.size())));
                } else if (pick == 1 && !presentSets.isEmpty()) {
                    rules.add("ip saddr @" + presentSets.get(r.nextInt(presentSets.size())) + " accept comment \"jump x @y\"");
                } else {
                    rules.add("meta l4proto tcp accept comment \"" + r.nextInt(3) + "\"");
                }
            }
            NftChain.Hook hook = i == 0 && r.nextBoolean() ? new NftChain.Hook(r.nextBoolean() ? "filter" : "route",
                    r.nextBoolean() ? "prerouting" : "output", "mangle") : null;
            chains.put(CHAINS.get(i), new NftChain(CHAINS.get(i), hook, rules));
        }
        TreeSet<IpRule> rules = new TreeSet<>();
        for (int id = 1; id <= 3; id++) {
            if (r.nextBoolean()) {
                rules.add(new IpRule(Family.IPV4, 2000 + id, "", id << 8, 0x3f00, IpRule.Action.LOOKUP, id));
            }
            if (r.nextBoolean()) {
                rules.add(new IpRule(Family.IPV6, 1000 + id, "eth" + id, 0, 0, IpRule.Action.LOOKUP, id));
            }
        }
        TreeSet<IpRoute> routes = new TreeSet<>();
        for (int t = 1; t <= 3; t++) {
            if (r.nextBoolean()) {
                routes.add(new IpRoute(t, Cidr.parse("0.0.0.0/0").orElseThrow(), "unicast", IpAddress.v4(192, 0, 2, r.nextInt(2) + 1),
                        "eth" + t, 10, null, null, 4, 0));
            }
        }
        return new Desired(sets, chains, rules, routes);
    }
}
