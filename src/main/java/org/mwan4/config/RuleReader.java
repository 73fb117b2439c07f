package org.mwan4.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mwan4.config.uci.UciSection;
import org.mwan4.config.uci.UciValue;

/** {@code config rule 'https'} -> {@link Rule}: its own options checked; references are checked later. */
final class RuleReader {
    private RuleReader() {}

    static final Set<String> OPTIONS = new LinkedHashSet<>(List.of(
            "proto", "src_ip", "src_port", "dest_ip", "dest_port", "src_iface", "ipset", "family",
            "use_strategy", "sticky", "timeout", "logging"));

    /** Protocols by name (lower case) as nft's meta l4proto knows them, or any number 0..255. */
    static final Map<String, Integer> PROTOCOLS = protocols();

    private static final Set<String> WITH_PORTS = Set.of("tcp", "udp");

    static Rule read(UciSection s, Diagnostics diags) {
        SectionReader r = new SectionReader(s, diags, OPTIONS);
        r.checkUnknown(Map.of("use_policy", "mwan3 spelling; 'mwan4 migrate' renames it to use_strategy"));
        String name = s.id();
        Names.problem(Names.Kind.RULE, name).ifPresent(m -> r.error(s.position(), "", m));
        String proto = proto(r);
        List<Cidr> srcIp = addresses(r, "src_ip");
        List<Cidr> destIp = addresses(r, "dest_ip");
        List<PortRange> srcPort = Ports.read(r, "src_port");
        List<PortRange> destPort = Ports.read(r, "dest_port");
        if ((!srcPort.isEmpty() || !destPort.isEmpty()) && !WITH_PORTS.contains(proto)) {
            String opt = srcPort.isEmpty() ? "dest_port" : "src_port";
            r.error(r.at(opt), opt, opt + " needs proto 'tcp' or 'udp' (proto is '" + proto + "')");
        }
        Optional<String> srcIface = r.single("src_iface").map(UciValue::text);
        Optional<String> ipset = r.single("ipset").map(UciValue::text);
        ipset.flatMap(Names::setProblem).ifPresent(m -> r.error(r.at("ipset"), "ipset", m));
        Set<Family> families = families(r);
        checkFamilies(r, families, srcIp, destIp);
        Rule.Target target = target(r);
        boolean sticky = r.bool("sticky", false);
        if (sticky && !(target instanceof Rule.Target.UseStrategy)) {
            r.error(r.at("sticky"), "sticky", "sticky needs use_strategy to name a strategy (a fixed target has"
                    + " nothing to stick to)");
        }
        Duration timeout = r.seconds("timeout", Duration.ofSeconds(600), false, Duration.ofSeconds(1), Duration.ofDays(7));
        boolean logging = r.bool("logging", false);
        return new Rule(name, proto, srcIp, destIp, srcPort, destPort, srcIface, ipset, families, target, sticky,
                timeout, logging, s.position());
    }

    private static String proto(SectionReader r) {
        Optional<UciValue> v = r.single("proto");
        if (v.isEmpty()) {
            return "all";
        }
        String p = v.get().text().toLowerCase(java.util.Locale.ROOT);
        if (p.equals("all") || PROTOCOLS.containsKey(p)) {
            return p;
        }
        if (!p.isEmpty() && p.length() <= 3 && p.chars().allMatch(Character::isDigit) && Integer.parseInt(p) <= 255) {
            int n = Integer.parseInt(p);
            // a number with a well-known name becomes the name, so "6" and "tcp" are the same rule
            return PROTOCOLS.entrySet().stream().filter(e -> e.getValue() == n).map(Map.Entry::getKey)
                    .findFirst().orElse(Integer.toString(n));
        }
        Set<String> known = new LinkedHashSet<>(PROTOCOLS.keySet());
        known.add("all");
        r.error(v.get().position(), "proto", "proto '" + v.get().text() + "' is not a protocol name or number 0..255"
                + Spelling.hint(p, known));
        return "all";
    }

    private static List<Cidr> addresses(SectionReader r, String option) {
        List<Cidr> out = new ArrayList<>();
        for (UciValue v : r.items(option, true)) {
            Optional<Cidr> c = Cidr.parse(v.text());
            if (c.isEmpty()) {
                r.error(v.position(), option, option + " '" + v.text() + "' is not an address or prefix"
                        + " (e.g. 192.0.2.0/24 or 2001:db8::/32)");
                continue;
            }
            Cidr n = c.get().network();
            if (!n.equals(c.get())) {
                r.warning(v.position(), option, option + " '" + v.text() + "' has host bits set; it means " + n);
            }
            out.add(n);
        }
        return out;
    }

    private static Set<Family> families(SectionReader r) {
        Set<Family> out = EnumSet.noneOf(Family.class);
        boolean any = false;
        for (UciValue v : r.items("family", true)) {
            if (v.text().equals("any")) {
                any = true;
                continue;
            }
            Optional<Family> f = Family.parse(v.text());
            if (f.isEmpty()) {
                r.error(v.position(), "family", "family '" + v.text() + "' is not ipv4, ipv6 or any"
                        + Spelling.hint(v.text(), List.of("ipv4", "ipv6", "any")));
            } else {
                out.add(f.get());
            }
        }
        return any || out.size() == Family.values().length ? EnumSet.noneOf(Family.class) : out;
    }

    private static void checkFamilies(SectionReader r, Set<Family> families, List<Cidr> src, List<Cidr> dest) {
        Family srcFamily = single(r, "src_ip", src);
        Family destFamily = single(r, "dest_ip", dest);
        for (String option : List.of("src_ip", "dest_ip")) {
            Family f = option.equals("src_ip") ? srcFamily : destFamily;
            if (f != null && !families.isEmpty() && !families.contains(f)) {
                r.error(r.at(option), option, option + " is " + f.id() + " but the rule's family is "
                        + String.join("+", families.stream().map(Family::id).toList()) + ", so it never matches");
            }
        }
        if (srcFamily != null && destFamily != null && srcFamily != destFamily) {
            r.error(r.at("dest_ip"), "dest_ip", "dest_ip is " + destFamily.id() + " but src_ip is " + srcFamily.id()
                    + ", so the rule never matches");
        }
    }

    /** The one family of an address list; null when empty or mixed (mixed is an error). */
    private static Family single(SectionReader r, String option, List<Cidr> list) {
        Set<Family> seen = EnumSet.noneOf(Family.class);
        list.forEach(c -> seen.add(c.family()));
        if (seen.size() > 1) {
            r.error(r.at(option), option, option + " mixes ipv4 and ipv6 prefixes; split the rule per family");
        }
        return seen.size() == 1 ? seen.iterator().next() : null;
    }

    private static Rule.Target target(SectionReader r) {
        Optional<UciValue> v = r.single("use_strategy");
        if (v.isEmpty() && r.present("use_policy")) {
            return new Rule.Target.Default(); // reported as the mwan3 spelling already
        }
        if (v.isEmpty()) {
            r.error(r.section().position(), "use_strategy", "a rule needs option use_strategy (a strategy name,"
                    + " or default, unreachable or blackhole)");
            return new Rule.Target.Default();
        }
        return switch (v.get().text()) {
            case "default" -> new Rule.Target.Default();
            case "unreachable" -> new Rule.Target.Unreachable();
            case "blackhole" -> new Rule.Target.Blackhole();
            default -> new Rule.Target.UseStrategy(v.get().text());
        };
    }

    private static Map<String, Integer> protocols() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("icmp", 1);
        m.put("igmp", 2);
        m.put("tcp", 6);
        m.put("udp", 17);
        m.put("gre", 47);
        m.put("esp", 50);
        m.put("ah", 51);
        m.put("icmpv6", 58);
        m.put("sctp", 132);
        m.put("udplite", 136);
        m.put("dccp", 33);
        return m;
    }
}
