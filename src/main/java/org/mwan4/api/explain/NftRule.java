package org.mwan4.api.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Cidr;
import org.mwan4.config.PortRange;

/**
 * Reads one rule of the planner's chains (the text {@code nft list chain} prints) into {@link Term}s. It knows
 * the vocabulary mwan4 writes; anything else becomes {@link Term.Unknown} rather than a guess.
 */
final class NftRule {
    /** The planner's sticky sets ({@code NftText.stickySet}): filled by the kernel, one per rule, family and interface. */
    static final String STICKY_SET_PREFIX = "mwan4_rule_";

    private final List<String> tokens;
    private int at;

    private NftRule(List<String> tokens) {
        this.tokens = tokens;
    }

    static List<Term> parse(String rule) {
        return new NftRule(tokens(rule)).terms();
    }

    /** Splits on blanks, keeping {@code "quoted text"} and {@code { a, b }} as one token each. */
    static List<String> tokens(String rule) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < rule.length()) {
            char c = rule.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            int end;
            if (c == '"') {
                end = rule.indexOf('"', i + 1);
                end = end < 0 ? rule.length() : end + 1;
            } else if (c == '{') {
                end = rule.indexOf('}', i + 1);
                end = end < 0 ? rule.length() : end + 1;
            } else {
                end = rule.indexOf(' ', i);
                end = end < 0 ? rule.length() : end;
            }
            out.add(rule.substring(i, end));
            i = end;
        }
        return out;
    }

    private List<Term> terms() {
        List<Term> out = new ArrayList<>();
        while (at < tokens.size()) {
            int start = at;
            Optional<Term> t = term();
            if (t.isEmpty()) {
                out.add(new Term.Unknown(String.join(" ", tokens.subList(start, tokens.size()))));
                return out;
            }
            out.add(t.get());
        }
        return out;
    }

    private Optional<Term> term() {
        String t = next();
        return switch (t) {
            case "meta" -> meta();
            case "ct" -> ct();
            case "ip", "ip6" -> address(t.equals("ip6"));
            case "tcp", "udp" -> port(t);
            case "iifname", "oifname" -> Optional.of(new Term.IfnameTest(t.equals("iifname"), list(next()).stream()
                    .map(NftRule::unquote).toList()));
            case "icmpv6" -> accept("type") ? Optional.of(new Term.Icmpv6Test(list(next()))) : Optional.empty();
            case "numgen" -> numgen();
            case "socket" -> cgroup();
            case "log" -> log();
            case "jump", "goto" -> Optional.of(new Term.Jump(next(), t.equals("goto")));
            case "return", "accept", "drop" -> Optional.of(new Term.Verdict(t));
            case "update" -> update();
            case "comment" -> Optional.of(new Term.Note(unquote(next())));
            case "counter" -> counter();
            default -> Optional.empty();
        };
    }

    /** {@code socket cgroupv2 level N "PATH"}. */
    private Optional<Term> cgroup() {
        if (!accept("cgroupv2") || !accept("level")) {
            return Optional.empty();
        }
        Optional<Integer> level = number(next());
        String path = next();
        return level.map(l -> new Term.CgroupTest(l, unquote(path)));
    }

    private Optional<Term> meta() {
        String what = next();
        switch (what) {
            case "mark" -> {
                if (accept("set")) {
                    return setMark("meta").map(v -> new Term.SetMark(v[0], v[1]));
                }
                return markTest().map(v -> new Term.MarkTest(v[0], v[1], v[2] == 1));
            }
            case "nfproto" -> {
                return Optional.of(new Term.NfprotoTest(next()));
            }
            case "l4proto" -> {
                return Optional.of(new Term.L4Test(list(next()).stream().map(Flow::canonical).toList()));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private Optional<Term> ct() {
        if (!accept("mark")) {
            return Optional.empty();
        }
        if (accept("set")) {
            return setMark("ct").map(v -> new Term.SetCtMark(v[0], v[1]));
        }
        return markTest().map(v -> new Term.CtMarkTest(v[0], v[1], v[2] == 1));
    }

    /** {@code & MASK == VALUE}: {mask, value, 1 for == / 0 for !=}. */
    private Optional<int[]> markTest() {
        if (!accept("&")) {
            return Optional.empty();
        }
        Optional<Integer> mask = number(next());
        String op = next();
        Optional<Integer> value = number(next());
        if (mask.isEmpty() || value.isEmpty() || !(op.equals("==") || op.equals("!="))) {
            return Optional.empty();
        }
        return Optional.of(new int[] {mask.get(), value.get(), op.equals("==") ? 1 : 0});
    }

    /** After {@code set}: {@code WHAT mark [& KEEP] | VALUE} as {keep (-1: none), value}. */
    private Optional<int[]> setMark(String what) {
        if (!accept(what) || !accept("mark")) {
            return Optional.empty();
        }
        int keep = -1;
        if (accept("&")) {
            Optional<Integer> k = number(next());
            if (k.isEmpty()) {
                return Optional.empty();
            }
            keep = k.get();
        }
        if (!accept("|")) {
            return Optional.empty();
        }
        int k = keep;
        return number(next()).map(v -> new int[] {k, v});
    }

    private Optional<Term> address(boolean ipv6) {
        String dir = next();
        if (!dir.equals("saddr") && !dir.equals("daddr")) {
            return Optional.empty();
        }
        boolean source = dir.equals("saddr");
        String value = next();
        if (source && value.startsWith("@" + STICKY_SET_PREFIX)) { // sticky lookup: ip saddr @mwan4_rule_ipv4_RULE_ID
            return Optional.of(new Term.StickyTest(ipv6, value.substring(1)));
        }
        if (value.startsWith("@")) {
            return Optional.of(new Term.SetTest(ipv6, source, value.substring(1)));
        }
        List<Cidr> prefixes = new ArrayList<>();
        for (String s : list(value)) {
            Optional<Cidr> c = Cidr.parse(s);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            prefixes.add(c.get());
        }
        return Optional.of(new Term.AddrTest(ipv6, source, prefixes));
    }

    private Optional<Term> port(String proto) {
        String dir = next();
        if (!dir.equals("sport") && !dir.equals("dport")) {
            return Optional.empty();
        }
        List<PortRange> ports = new ArrayList<>();
        for (String s : list(next())) {
            String[] p = s.split("-");
            try {
                ports.add(new PortRange(Integer.parseInt(p[0]), Integer.parseInt(p[p.length - 1])));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new Term.PortTest(proto, dir.equals("sport"), ports));
    }

    private Optional<Term> numgen() {
        if (!accept("random") || !accept("mod")) {
            return Optional.empty();
        }
        Optional<Integer> mod = number(next());
        String[] range = next().split("-");
        Optional<Integer> from = number(range[0]);
        Optional<Integer> to = number(range[range.length - 1]);
        if (mod.isEmpty() || from.isEmpty() || to.isEmpty() || mod.get() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Term.Numgen(mod.get(), from.get(), to.get()));
    }

    private Optional<Term> log() {
        String prefix = "";
        if (accept("prefix")) {
            prefix = unquote(next());
        }
        if (accept("level")) {
            next();
        }
        return Optional.of(new Term.Log(prefix));
    }

    private Optional<Term> update() {
        String set = next();
        next(); // the { key } expression
        return set.startsWith("@") ? Optional.of(new Term.Update(set.substring(1))) : Optional.empty();
    }

    private Optional<Term> counter() {
        if (accept("packets")) {
            next();
            if (accept("bytes")) {
                next();
            }
        }
        return Optional.of(new Term.Note("counter"));
    }

    private String next() {
        return at < tokens.size() ? tokens.get(at++) : "";
    }

    private boolean accept(String word) {
        if (at < tokens.size() && tokens.get(at).equals(word)) {
            at++;
            return true;
        }
        return false;
    }

    /** {@code { a, b }} or a single value, as a list. */
    static List<String> list(String token) {
        if (!token.startsWith("{")) {
            return List.of(token);
        }
        String inner = token.substring(1, token.length() - 1);
        List<String> out = new ArrayList<>();
        for (String s : inner.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    static Optional<Integer> number(String s) {
        try {
            return Optional.of(s.startsWith("0x") ? (int) Long.parseLong(s.substring(2), 16) : Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
