package org.mwan4.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Family;
import org.mwan4.config.Globals;
import org.mwan4.config.Interface;
import org.mwan4.config.IpAddress;
import org.mwan4.config.PortRange;
import org.mwan4.config.Position;
import org.mwan4.config.Route;
import org.mwan4.config.Rule;
import org.mwan4.config.Strategy;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.Tracker;
import org.mwan4.core.TrackerStatus;

/**
 * The one place planner tests build {@link State}s: a config (UCI text through {@link ConfigLoader}, or records
 * for what the loader would refuse) plus kernel facts and tracker statuses. Trackers only through
 * {@link Tracker#withStatus}. Golden scenarios live in {@code test-fixtures/plan/<scenario>/}: {@code mwan4}
 * (the config) and {@code facts}.
 *
 * <p>Facts files ({@code test-fixtures/plan/<scenario>/facts}) describe what the kernel reported, one per line:
 * <pre>
 * link 2 eth0 [down]                      # ifindex, name; up unless "down"
 * addr 2 192.0.2.2/24
 * route -4 main 192.0.2.0/24 dev eth0 proto 2 scope 253 src 192.0.2.2
 * route -6 main default from 2001:db8:1::/48 via fe80::1 dev eth0 metric 1024
 * route -4 local local 192.0.2.2 dev eth0 scope 254
 * status wan ipv4 online                  # tracker status
 * ifdown wan                              # mwan4 ifdown
 * </pre>
 */
public final class TestStates {
    private TestStates() {}

    static final Comparator<RouteFact> ROUTE_ORDER = Comparator.comparing(RouteFact::toString);

    // ---------------------------------------------------------------- config records

    static Tracking tracking(List<IpAddress> targets) {
        return new Tracking(targets, TrackMethod.PING, 1, 1, Duration.ofSeconds(4), 56, 60, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10), false, 5, 5, Tracking.Quality.DEFAULT, false, "",
                Tracking.TrackMode.ROUNDS, 20, Duration.ZERO);
    }

    static Interface iface(String name, int id, boolean enabled, String device, Family... families) {
        return new Interface(name, id, enabled, Optional.ofNullable(device), List.of(families), Interface.InitialState.ONLINE,
                tracking(List.of()), Set.of(), Position.NONE);
    }

    static Interface iface(String name, int id, String device, Family... families) {
        return iface(name, id, true, device, families);
    }

    static Route route(String name, String iface, int metric, int weight) {
        return new Route(name, iface, metric, weight, Position.NONE);
    }

    static Strategy strategy(String name, Strategy.LastResort lastResort, String... routes) {
        return new Strategy(name, List.of(routes), lastResort, Position.NONE);
    }

    static Globals globals(int mask) {
        return new Globals(mask, false, "notice", List.of(), false, Position.NONE);
    }

    static Globals globals(int mask, boolean logging, String loglevel, List<Integer> rtTableLookup, boolean sourceRouting) {
        return new Globals(mask, logging, loglevel, rtTableLookup, sourceRouting, Position.NONE);
    }

    static Config config(Globals g, List<Interface> ifaces, List<Route> routes, List<Strategy> strategies, List<Rule> rules) {
        return new Config("mwan4", g, ifaces, routes, strategies, rules, Map.of(), List.of());
    }

    /** A rule built field by field; {@code build()} gives the record. */
    static RuleBuilder rule(String name) {
        return new RuleBuilder(name);
    }

    static final class RuleBuilder {
        private final String name;
        private String proto = "all";
        private final List<Cidr> src = new ArrayList<>();
        private final List<Cidr> dest = new ArrayList<>();
        private final List<PortRange> sport = new ArrayList<>();
        private final List<PortRange> dport = new ArrayList<>();
        private String srcIface;
        private String ipset;
        private final EnumSet<Family> families = EnumSet.noneOf(Family.class);
        private Rule.Target target = new Rule.Target.Default();
        private boolean sticky;
        private int timeout = 600;
        private boolean logging;

        RuleBuilder(String name) {
            this.name = name;
        }

        RuleBuilder proto(String p) { proto = p; return this; }
        RuleBuilder src(String... c) { for (String s : c) src.add(cidr(s)); return this; }
        RuleBuilder dest(String... c) { for (String s : c) dest.add(cidr(s)); return this; }
        RuleBuilder sport(String... p) { for (String s : p) sport.add(port(s)); return this; }
        RuleBuilder dport(String... p) { for (String s : p) dport.add(port(s)); return this; }
        RuleBuilder srcIface(String i) { srcIface = i; return this; }
        RuleBuilder ipset(String s) { ipset = s; return this; }
        RuleBuilder family(Family f) { families.add(f); return this; }
        RuleBuilder strategy(String s) { target = new Rule.Target.UseStrategy(s); return this; }
        RuleBuilder target(Rule.Target t) { target = t; return this; }
        RuleBuilder sticky(int seconds) { sticky = true; timeout = seconds; return this; }
        RuleBuilder logging() { logging = true; return this; }

        Rule build() {
            return new Rule(name, proto, src, dest, sport, dport, Optional.ofNullable(srcIface), Optional.ofNullable(ipset),
                    families, target, sticky, Duration.ofSeconds(timeout), logging, Position.NONE);
        }
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow(() -> new IllegalArgumentException("not a prefix: " + s));
    }

    static PortRange port(String s) {
        int dash = s.indexOf('-');
        return dash < 0 ? PortRange.single(Integer.parseInt(s))
                : new PortRange(Integer.parseInt(s.substring(0, dash)), Integer.parseInt(s.substring(dash + 1)));
    }

    // ---------------------------------------------------------------- config text

    static final Family V4 = Family.IPV4;
    static final Family V6 = Family.IPV6;

    /** A config from UCI text, as the daemon loads it (no /etc/config/network: devices come from option device). */
    static Config config(String text) {
        try {
            return ConfigLoader.load("mwan4", text, null);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("test config does not load:\n" + e.getMessage(), e);
        }
    }

    /** The config text of a golden scenario, {@code test-fixtures/plan/<name>/mwan4}. */
    static String scenarioText(String name) {
        return read(repo().resolve("test-fixtures/plan").resolve(name).resolve("mwan4"));
    }

    static Config scenarioConfig(String name) {
        return config(scenarioText(name));
    }

    public static final List<String> SCENARIOS = List.of("single-wan", "two-wans-3to1", "metric-tiers", "all-offline",
            "last-resorts", "sticky", "rule-matches", "dual-stack", "mask-ff00");

    static java.nio.file.Path repo() {
        return java.nio.file.Path.of(System.getProperty("mwan4.repo", System.getProperty("user.dir")));
    }

    /** A golden scenario's state: {@code test-fixtures/plan/<name>/mwan4} under the facts of {@code .../facts}. */
    public static State scenario(String name) {
        return state(scenarioConfig(name), read(repo().resolve("test-fixtures/plan").resolve(name).resolve("facts")));
    }

    private static String read(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read test fixture " + p, e);
        }
    }

    /** A state from a config and a facts text (see the class comment). */
    static State state(Config config, String facts) {
        Facts f = Facts.parse(facts);
        return f.toState(config);
    }

    /** The same state with one tracker in another status. */
    public static State withStatus(State s, String iface, Family family, TrackerStatus status) {
        TreeMap<State.TrackerKey, Tracker> trackers = new TreeMap<>(s.trackers());
        trackers.put(new State.TrackerKey(iface, family), Tracker.withStatus(status));
        return new State(s.config(), s.links(), s.addresses(), s.routes(), trackers, s.operatorDown(), s.now());
    }

    /** The same facts and trackers under another config. */
    static State withConfig(State s, Config c) {
        return new State(c, s.links(), s.addresses(), s.routes(), s.trackers(), s.operatorDown(), s.now());
    }

    /** The same state with these kernel routes instead. */
    static State withRoutes(State s, List<RouteFact> routes) {
        TreeSet<RouteFact> r = new TreeSet<>(ROUTE_ORDER);
        r.addAll(routes);
        return new State(s.config(), s.links(), s.addresses(), r, s.trackers(), s.operatorDown(), s.now());
    }

    static State withOperatorDown(State s, String... ifaces) {
        return new State(s.config(), s.links(), s.addresses(), s.routes(), s.trackers(), new TreeSet<>(List.of(ifaces)), s.now());
    }

    static RouteFact routeFact(int table, String dest, String via, int ifindex, int metric, String type, int protocol, int scope,
                               String from, String src) {
        Cidr d = cidr(dest);
        return new RouteFact(table, d.family(), d, via == null ? null : IpAddress.parse(via).orElseThrow(), ifindex, metric, type,
                protocol, scope, from == null ? null : cidr(from), src == null ? null : IpAddress.parse(src).orElseThrow());
    }

    /** Parsed facts file. */
    record Facts(TreeMap<Integer, State.Link> links, TreeMap<Integer, SortedSet<Cidr>> addresses, List<RouteFact> routes,
                 TreeMap<State.TrackerKey, Tracker> trackers, TreeSet<String> down) {

        static Facts parse(String text) {
            Facts f = new Facts(new TreeMap<>(), new TreeMap<>(), new ArrayList<>(), new TreeMap<>(), new TreeSet<>());
            int n = 0;
            for (String raw : text.lines().toList()) {
                n++;
                String line = raw.replaceFirst("#.*", "").strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] t = line.split("\\s+");
                try {
                    switch (t[0]) {
                        case "link" -> {
                            boolean up = !(t.length > 3 && t[3].equals("down"));
                            int idx = Integer.parseInt(t[1]);
                            f.links.put(idx, new State.Link(idx, t[2], up, up, up ? "UP" : "DOWN"));
                        }
                        case "addr" -> f.addresses.computeIfAbsent(Integer.parseInt(t[1]), k -> new TreeSet<>()).add(cidr(t[2]));
                        case "route" -> f.routes.add(route(t, f.links));
                        case "status" -> f.trackers.put(new State.TrackerKey(t[1], Family.parse(t[2]).orElseThrow()),
                                Tracker.withStatus(TrackerStatus.valueOf(t[3].toUpperCase(java.util.Locale.ROOT))));
                        case "ifdown" -> f.down.add(t[1]);
                        default -> throw new IllegalArgumentException("unknown fact '" + t[0] + "'");
                    }
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("facts:" + n + ": " + raw + ": " + e.getMessage(), e);
                }
            }
            return f;
        }

        private static RouteFact route(String[] t, Map<Integer, State.Link> links) {
            Family fam = t[1].equals("-6") ? Family.IPV6 : Family.IPV4;
            int table = switch (t[2]) {
                case "main" -> RouteFact.TABLE_MAIN;
                case "local" -> RouteFact.TABLE_LOCAL;
                default -> Integer.parseInt(t[2]);
            };
            int i = 3;
            String type = "unicast";
            if (Set.of("local", "broadcast", "unreachable", "blackhole", "prohibit", "multicast", "anycast", "throw").contains(t[i])) {
                type = t[i++];
            }
            String dest = t[i++];
            Cidr d = dest.equals("default") ? cidr(fam == Family.IPV4 ? "0.0.0.0/0" : "::/0") : cidr(dest);
            IpAddress via = null, src = null;
            Cidr from = null;
            int ifindex = 0, metric = 0, proto = 3, scope = 0;
            for (; i + 1 < t.length; i += 2) {
                switch (t[i]) {
                    case "from" -> from = cidr(t[i + 1]);
                    case "via" -> via = IpAddress.parse(t[i + 1]).orElseThrow();
                    case "dev" -> {
                        String dev = t[i + 1];
                        ifindex = links.values().stream().filter(l -> l.name().equals(dev)).mapToInt(State.Link::ifindex)
                                .findFirst().orElseThrow(() -> new IllegalArgumentException("no link " + dev));
                    }
                    case "metric" -> metric = Integer.parseInt(t[i + 1]);
                    case "proto" -> proto = Integer.parseInt(t[i + 1]);
                    case "scope" -> scope = Integer.parseInt(t[i + 1]);
                    case "src" -> src = IpAddress.parse(t[i + 1]).orElseThrow();
                    default -> throw new IllegalArgumentException("unknown route word '" + t[i] + "'");
                }
            }
            return new RouteFact(table, fam, d, via, ifindex, metric, type, proto, scope, from, src);
        }

        State toState(Config config) {
            TreeSet<RouteFact> r = new TreeSet<>(ROUTE_ORDER);
            r.addAll(routes);
            return new State(config, links, new TreeMap<>(addresses), r, trackers, down, Instant.EPOCH);
        }
    }
}
