package org.mwan4.kernel.nft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of the strategy-chain vocabulary, parsed from the text {@code nft list chain} prints, e.g.
 * <pre>
 * meta mark &amp; 0x00003f00 == 0x00000000 numgen random mod 4 0-2 meta mark set meta mark &amp; 0xffffc1ff | 0x00000100 comment "wan 3 4"
 * </pre>
 * {@link #parse} accepts a rule only when {@link #text()} prints it back byte for byte, so a rule written by
 * {@link ChainRuleCodec} lists exactly as the planner wrote it. Anything else is "not encodable" (empty) and goes
 * through nft's parser instead. Pure.
 *
 * @param statements the rule's statements in order
 * @param comment    the comment, or null
 */
public record ChainRule(List<Statement> statements, String comment) {
    /** NFTNL_UDATA_COMMENT_MAXLEN, libnftnl/udata.h, with the terminating NUL. */
    static final int MAX_COMMENT = 128;
    /** IFNAMSIZ, linux/if.h, with the terminating NUL. */
    static final int IFNAMSIZ = 16;
    private static final long U32 = 0xFFFF_FFFFL;
    private static final Pattern COMMENT = Pattern.compile(" comment \"([^\"\\\\]*)\"$");
    private static final Pattern IFNAME = Pattern.compile("\"([A-Za-z0-9._@:-]{1," + (IFNAMSIZ - 1) + "})\"");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]{8}");
    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,8}");
    private static final Pattern RANGE = Pattern.compile("(0|[1-9][0-9]{0,8})-(0|[1-9][0-9]{0,8})");

    public ChainRule {
        statements = List.copyOf(statements);
    }

    /** A statement: a match or the mark set. */
    public sealed interface Statement {}

    /** {@code meta mark & 0x00003f00 == 0x00000100}. */
    public record MarkMatch(int mask, int value) implements Statement {}

    /** {@code numgen random mod 4 1}. */
    public record NumgenIs(int modulus, int value) implements Statement {}

    /** {@code numgen random mod 4 0-2}. */
    public record NumgenIn(int modulus, int low, int high) implements Statement {}

    /** {@code oifname "eth0"} (an exact name, no wildcard). */
    public record OifName(String name) implements Statement {}

    /** {@code meta mark set meta mark & 0xffffc1ff | 0x00000100} ({@code and} 0xffffffff prints as {@code meta mark | 0x...}). */
    public record MarkSet(int and, int or) implements Statement {}

    /** The rule as nft lists it. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Statement s : statements) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            switch (s) {
                case MarkMatch m -> sb.append("meta mark & ").append(hex(m.mask())).append(" == ").append(hex(m.value()));
                case NumgenIs n -> sb.append("numgen random mod ").append(n.modulus()).append(' ').append(n.value());
                case NumgenIn n -> sb.append("numgen random mod ").append(n.modulus()).append(' ').append(n.low()).append('-')
                        .append(n.high());
                case OifName o -> sb.append("oifname \"").append(o.name()).append('"');
                case MarkSet m -> sb.append("meta mark set meta mark ")
                        .append(m.and() == -1 ? "" : "& " + hex(m.and()) + " ").append("| ").append(hex(m.or()));
            }
        }
        if (comment != null) {
            sb.append(" comment \"").append(comment).append('"');
        }
        return sb.toString();
    }

    /**
     * The rule, when {@code text} is in the vocabulary and already in nft's listing form; else empty.
     * Never throws.
     */
    public static Optional<ChainRule> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String body = text;
        String comment = null;
        Matcher c = COMMENT.matcher(text);
        if (c.find()) {
            comment = c.group(1);
            if (comment.getBytes(StandardCharsets.UTF_8).length >= MAX_COMMENT) {
                return Optional.empty();
            }
            body = text.substring(0, c.start());
        }
        String[] t = body.split(" ", -1);
        List<Statement> out = new ArrayList<>();
        int i = 0;
        while (i < t.length) {
            Statement s;
            if (is(t, i, "meta", "mark", "&") && is(t, i + 4, "==") && hex(t, i + 3) && hex(t, i + 5)) {
                s = new MarkMatch(parseHex(t[i + 3]), parseHex(t[i + 5]));
                i += 6;
            } else if (is(t, i, "meta", "mark", "set", "meta", "mark", "|") && hex(t, i + 6)) {
                s = new MarkSet(-1, parseHex(t[i + 6]));
                i += 7;
            } else if (is(t, i, "meta", "mark", "set", "meta", "mark", "&") && is(t, i + 7, "|") && hex(t, i + 6) && hex(t, i + 8)) {
                s = new MarkSet(parseHex(t[i + 6]), parseHex(t[i + 8]));
                i += 9;
            } else if (is(t, i, "numgen", "random", "mod") && number(t, i + 3) && i + 4 < t.length) {
                int mod = Integer.parseInt(t[i + 3]);
                Matcher r = RANGE.matcher(t[i + 4]);
                if (NUMBER.matcher(t[i + 4]).matches()) {
                    s = new NumgenIs(mod, Integer.parseInt(t[i + 4]));
                } else if (r.matches()) {
                    s = new NumgenIn(mod, Integer.parseInt(r.group(1)), Integer.parseInt(r.group(2)));
                } else {
                    return Optional.empty();
                }
                i += 5;
            } else if (is(t, i, "oifname") && i + 1 < t.length && IFNAME.matcher(t[i + 1]).matches()) {
                s = new OifName(t[i + 1].substring(1, t[i + 1].length() - 1));
                i += 2;
            } else {
                return Optional.empty();
            }
            if (!valid(s)) {
                return Optional.empty();
            }
            out.add(s);
        }
        ChainRule rule = new ChainRule(out, comment);
        return rule.text().equals(text) ? Optional.of(rule) : Optional.empty();
    }

    /** Whether nft would list what we encode as this statement (else nft prints it another way or refuses it). */
    private static boolean valid(Statement s) {
        return switch (s) {
            case MarkMatch m -> (m.value() & ~m.mask()) == 0 && m.mask() != 0 && m.mask() != -1;
            case NumgenIs n -> n.modulus() > 0 && n.value() < n.modulus();
            case NumgenIn n -> n.modulus() > 0 && n.low() < n.high() && n.high() < n.modulus();
            case OifName o -> true;
            // nft sends (x & (and & ~or)) ^ or and lists mask|xor as "& and | or": only round-trips when or is within and
            case MarkSet m -> m.or() != 0 && (m.and() & m.or()) == m.or();
        };
    }

    private static boolean is(String[] t, int at, String... words) {
        if (at + words.length > t.length) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            if (!t[at + k].equals(words[k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(String[] t, int at) {
        return at < t.length && HEX.matcher(t[at]).matches();
    }

    private static boolean number(String[] t, int at) {
        return at < t.length && NUMBER.matcher(t[at]).matches();
    }

    private static int parseHex(String s) {
        return (int) Long.parseLong(s.substring(2), 16);
    }

    static String hex(int v) {
        return String.format("0x%08x", v & U32);
    }
}
