package org.mwan4.api.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.Marks;
import org.mwan4.config.PortRange;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/**
 * Walks the planned nft chains with one packet the way the kernel does: rules in order, a rule's terms left to
 * right, {@code jump} into a chain and back, {@code return}, marks set and tested. {@code numgen random} splits the
 * walk into weighted paths. Pure: works on the {@link Desired} value only.
 */
final class Walk {
    /** Where a path stands after a rule or chain. */
    enum Next { CONTINUE, RETURN, FINAL }

    /** One way through the chains so far (copied where numgen splits it). */
    static final class Path {
        double probability = 1;
        int mark;
        int ctMark;
        String rule;
        String strategy;
        Next next = Next.CONTINUE;
        final List<String> trace = new ArrayList<>();

        Path copy(double factor) {
            Path p = new Path();
            p.probability = probability * factor;
            p.mark = mark;
            p.ctMark = ctMark;
            p.rule = rule;
            p.strategy = strategy;
            p.next = next;
            p.trace.addAll(trace);
            return p;
        }
    }

    private static final int MAX_DEPTH = 16;

    private final Desired desired;
    private final Flow flow;
    private final Marks marks;
    private final SortedMap<String, SortedSet<Cidr>> kernelSets;
    private final java.util.function.IntFunction<String> meaning;
    final Set<String> notes = new TreeSet<>();

    Walk(Desired desired, Flow flow, Marks marks, SortedMap<String, SortedSet<Cidr>> kernelSets,
         java.util.function.IntFunction<String> meaning) {
        this.desired = desired;
        this.flow = flow;
        this.marks = marks;
        this.kernelSets = kernelSets;
        this.meaning = meaning;
    }

    /** Every path out of {@code chain} (a base chain: the end of it is the end of the walk). */
    List<Path> run(String chain, Path p, int depth) {
        NftChain c = desired.chains().get(chain);
        if (c == null) {
            p.trace.add("chain " + chain + " is not in the plan; nothing happens there");
            return List.of(p);
        }
        if (depth > MAX_DEPTH) {
            p.trace.add("jumps nest deeper than " + MAX_DEPTH + " at " + chain + "; stopping the walk here");
            p.next = Next.FINAL;
            return List.of(p);
        }
        List<Path> active = new ArrayList<>(List.of(p));
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < c.rules().size() && !active.isEmpty(); i++) {
            List<Term> terms = NftRule.parse(c.rules().get(i));
            List<Path> next = new ArrayList<>();
            for (Path path : active) {
                for (Path r : rule(chain, i + 1, terms, path, depth)) {
                    if (r.next == Next.CONTINUE) {
                        next.add(r);
                    } else {
                        out.add(r);
                    }
                }
            }
            active = next;
        }
        out.addAll(active);
        for (Path r : out) {
            if (r.next == Next.RETURN) {
                r.next = Next.CONTINUE;
            }
        }
        return out;
    }

    /** One rule applied to one path: the paths after it (split by numgen, ended by verdicts). */
    private List<Path> rule(String chain, int index, List<Term> terms, Path start, int depth) {
        List<Path> paths = new ArrayList<>(List.of(start));
        List<String> why = new ArrayList<>();
        String comment = terms.stream().filter(t -> t instanceof Term.Note n && !n.text().equals("counter"))
                .map(t -> ((Term.Note) t).text()).findFirst().orElse(null);
        boolean userRules = chain.startsWith("mwan4_rules_");
        String where = userRules && comment != null ? "rule '" + comment + "'" : chain + " rule " + index;
        List<Path> failed = new ArrayList<>();
        for (Term t : terms) {
            List<Path> now = new ArrayList<>();
            for (Path p : paths) {
                switch (t) {
                    case Term.Numgen n -> {
                        double share = (double) (n.to() - n.from() + 1) / n.mod();
                        Path miss = p.copy(1 - share);
                        if (share < 1) {
                            failed.add(miss);
                        }
                        Path hit = p.copy(share);
                        hit.trace.add(chain + ": numgen random mod " + n.mod() + " " + n.from() + "-" + n.to() + " picks "
                                + (n.to() - n.from() + 1) + " of " + n.mod() + " new connections");
                        now.add(hit);
                    }
                    case Term.SetMark s -> {
                        p.mark = s.keep() == -1 ? p.mark | s.value() : (p.mark & s.keep()) | s.value();
                        p.trace.add(where + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")") + ": mark "
                                + Marks.hex(p.mark & marks.mask()) + " (" + meaning.apply(p.mark & marks.mask()) + ")");
                        if (userRules) {
                            p.rule = comment;
                        }
                        now.add(p);
                    }
                    case Term.SetCtMark s -> {
                        p.ctMark = s.keep() == -1 ? p.ctMark | s.value() : (p.ctMark & s.keep()) | s.value();
                        now.add(p);
                    }
                    case Term.Jump j -> now.addAll(jump(chain, where, why, j, comment, userRules, p, depth));
                    case Term.Verdict v -> {
                        p.next = v.verdict().equals("return") ? Next.RETURN : Next.FINAL;
                        if (!v.verdict().equals("return")) {
                            p.trace.add(where + ": " + v.verdict());
                        }
                        now.add(p);
                    }
                    case Term.Update u -> {
                        notes.add("sticky: the connection's source is remembered with its mark in " + u.set()
                                + ", so its next connections within the rule's timeout keep this WAN while it is online");
                        now.add(p);
                    }
                    case Term.Log l -> {
                        p.trace.add(where + ": logged with prefix \"" + l.prefix() + "\"");
                        now.add(p);
                    }
                    case Term.Note _ -> now.add(p);
                    case Term.Unknown u -> {
                        notes.add("cannot evaluate '" + u.text() + "' in " + chain + " rule " + index
                                + "; the walk treats that rule as not matching");
                        failed.add(p);
                    }
                    case Term.MarkTest _, Term.CtMarkTest _, Term.AddrTest _, Term.SetTest _, Term.StickyTest _,
                         Term.PortTest _, Term.L4Test _, Term.NfprotoTest _, Term.IfnameTest _, Term.Icmpv6Test _,
                         Term.CgroupTest _ -> {
                        Test r = test(t, p);
                        if (r.matches()) {
                            if (!r.why().isEmpty()) {
                                why.add(r.why());
                            }
                            now.add(p);
                        } else {
                            if (!r.why().isEmpty() && userRules) {
                                p.trace.add(where + " does not match: " + r.why());
                            } else if (!r.why().isEmpty() && t instanceof Term.SetTest) {
                                String line = chain + ": " + r.why(); // the hook tests the sets twice; say it once
                                if (!p.trace.contains(line)) {
                                    p.trace.add(line);
                                }
                            }
                            failed.add(p);
                        }
                    }
                }
            }
            paths = now;
        }
        List<Path> out = new ArrayList<>(paths);
        out.addAll(failed);
        return out;
    }

    private List<Path> jump(String chain, String where, List<String> why, Term.Jump j, String comment, boolean userRules,
                            Path p, int depth) {
        String target = j.chain();
        if (userRules) {
            p.rule = comment;
        }
        if (target.startsWith("mwan4_strategy_")) {
            p.strategy = target.substring("mwan4_strategy_".length(), target.length() - "_ipv4".length());
            p.trace.add(where + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")") + ": strategy " + p.strategy
                    + " (" + target + ")");
        } else if (target.startsWith("mwan4_rule_")) {
            p.trace.add(where + (why.isEmpty() ? "" : " (" + String.join(", ", why) + ")") + ": sticky chain " + target);
        } else if (!why.isEmpty()) {
            p.trace.add(where + " (" + String.join(", ", why) + "): jump " + target);
        }
        List<Path> back = run(target, p, depth + 1);
        for (Path b : back) {
            if (j.isGoto() && b.next == Next.CONTINUE) {
                b.next = Next.RETURN;
            }
        }
        return back;
    }

    /** A match's outcome and, for people, why. */
    record Test(boolean matches, String why) {}

    Test test(Term t, Path p) {
        return switch (t) {
            case Term.MarkTest m -> new Test(((p.mark & m.mask()) == m.value()) == m.equal(), "");
            case Term.CtMarkTest c -> new Test(((p.ctMark & c.mask()) == c.value()) == c.equal(), "");
            case Term.AddrTest a -> addresses(a.ipv6(), a.source(), a.prefixes(), null);
            case Term.SetTest s -> set(s);
            case Term.StickyTest s -> sticky(s);
            case Term.PortTest pt -> ports(pt);
            case Term.L4Test l -> flow.protocol().isEmpty() ? new Test(false, "protocol not given (--proto) but the rule needs "
                    + String.join(" or ", l.protos()))
                    : new Test(l.protos().contains(flow.proto()), "protocol " + flow.proto() + (l.protos().contains(flow.proto())
                    ? "" : " is not " + String.join(" or ", l.protos())));
            case Term.NfprotoTest n -> new Test(n.family().equals(flow.family().id()), "");
            case Term.IfnameTest i -> interfaces(i);
            case Term.Icmpv6Test _ -> new Test(false, "");
            // explain models an ordinary process; one started by `mwan4 use IFACE` leaves through IFACE
            case Term.CgroupTest c -> new Test(false, "not a process started by mwan4 use (cgroup " + c.path() + ")");
            case Term.Numgen _, Term.SetMark _, Term.SetCtMark _, Term.Update _, Term.Log _, Term.Jump _, Term.Verdict _,
                 Term.Note _, Term.Unknown _ -> new Test(true, "");
        };
    }

    private Test interfaces(Term.IfnameTest i) {
        if (!i.input()) {
            return new Test(false, "the packet is not bound to an output device");
        }
        if (flow.iif() == null) {
            return new Test(false, "the router's own traffic arrives on no device");
        }
        boolean in = i.devices().contains(flow.iif());
        return new Test(in, "arrives on " + flow.iif() + (in ? "" : ", not " + String.join(" or ", i.devices())));
    }

    private Test ports(Term.PortTest pt) {
        String dir = pt.source() ? "source port" : "destination port";
        if (flow.protocol().isEmpty()) {
            return new Test(false, "protocol not given (--proto) but the rule needs " + pt.proto());
        }
        if (!flow.proto().equals(pt.proto())) {
            return new Test(false, "protocol " + flow.proto() + " is not " + pt.proto());
        }
        Integer port = pt.source() ? flow.sport() : flow.dport();
        String list = pt.ports().stream().map(PortRange::toString).collect(Collectors.joining(", "));
        if (port == null) {
            return new Test(false, dir + " not given (--" + (pt.source() ? "sport" : "dport") + ") but the rule needs " + list);
        }
        boolean in = pt.ports().stream().anyMatch(r -> r.from() <= port && port <= r.to());
        return new Test(in, pt.proto() + " " + dir + " " + port + (in ? " is in " : " is not in ") + "{" + list + "}");
    }

    private Test sticky(Term.StickyTest s) {
        if ((flow.family() == Family.IPV6) != s.ipv6()) {
            return new Test(false, "");
        }
        SortedSet<Cidr> now = kernelSets.get(s.set());
        if (now == null) {
            notes.add("sticky: assumed that " + flow.src() + " has no entry in " + s.set() + " yet (the kernel fills it"
                    + " as connections are made); a known source keeps the WAN it used while that WAN is online");
            return new Test(false, "");
        }
        boolean known = now.stream().anyMatch(c -> c.contains(flow.src()));
        notes.add("sticky: " + s.set() + " was read from the kernel" + (known ? "" : "; " + flow.src() + " has no entry there"));
        return new Test(known, known ? "source " + flow.src() + " is remembered in " + s.set() : "");
    }

    private Test set(Term.SetTest s) {
        if ((flow.family() == Family.IPV6) != s.ipv6()) {
            return new Test(false, "");
        }
        NftSet set = desired.sets().get(s.set());
        SortedSet<Cidr> now = kernelSets.get(s.set());
        if ((set == null || !set.managedElements()) && now != null) {
            notes.add("the contents of set " + s.set() + " were read from the kernel");
            return addresses(s.ipv6(), s.source(), List.copyOf(now), s.set());
        }
        if (set == null || !set.managedElements()) {
            notes.add("the contents of set " + s.set() + " are not known to mwan4 (the user or the kernel fills it); assumed "
                    + "not to contain " + (s.source() ? flow.src() : flow.dst()));
            return new Test(false, "");
        }
        return addresses(s.ipv6(), s.source(), List.copyOf(set.elements()), s.set());
    }

    private Test addresses(boolean ipv6, boolean source, List<Cidr> prefixes, String setName) {
        String what = source ? "source" : "destination";
        var addr = source ? flow.src() : flow.dst();
        if ((flow.family() == Family.IPV6) != ipv6) {
            return new Test(false, "");
        }
        String in = setName == null ? prefixes.stream().map(Cidr::toString).collect(Collectors.joining(", ")) : setName;
        for (Cidr c : prefixes) {
            if (c.contains(addr)) {
                return new Test(true, what + " " + addr + " is in " + in + (setName == null ? "" : " (" + c + ")"));
            }
        }
        return new Test(false, what + " " + addr + " is not in " + in);
    }
}
