package org.mwan4.plan;

import java.util.LinkedHashSet;
import java.util.SequencedSet;

/**
 * What a rule refers to by name: chains it jumps to and sets it looks up ({@code jump x}, {@code goto x},
 * {@code @x}), outside quoted strings (a comment or device name may contain either word).
 */
final class References {
    private References() {}

    static SequencedSet<String> jumps(Iterable<String> rules) {
        SequencedSet<String> out = new LinkedHashSet<>();
        for (String rule : rules) {
            String[] t = unquoted(rule).split(" ");
            for (int i = 0; i + 1 < t.length; i++) {
                if (t[i].equals("jump") || t[i].equals("goto")) {
                    out.add(t[i + 1]);
                }
            }
        }
        return out;
    }

    static SequencedSet<String> sets(Iterable<String> rules) {
        SequencedSet<String> out = new LinkedHashSet<>();
        for (String rule : rules) {
            String r = unquoted(rule);
            int at = r.indexOf('@');
            while (at >= 0) {
                int end = at + 1;
                while (end < r.length() && r.charAt(end) != ' ' && r.charAt(end) != '}') {
                    end++;
                }
                out.add(r.substring(at + 1, end));
                at = r.indexOf('@', end);
            }
        }
        return out;
    }

    /** The rule with the contents of every quoted string blanked out. */
    private static String unquoted(String rule) {
        if (rule.indexOf('"') < 0) {
            return rule;
        }
        StringBuilder sb = new StringBuilder(rule.length());
        boolean quoted = false;
        for (int i = 0; i < rule.length(); i++) {
            char c = rule.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                sb.append(c);
            } else {
                sb.append(quoted ? '_' : c);
            }
        }
        return sb.toString();
    }
}
