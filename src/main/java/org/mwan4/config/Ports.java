package org.mwan4.config;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.uci.UciValue;

/** Port lists as mwan3 wrote them: {@code '80,443,1000:2000'}, {@code '1000-2000'}, or one per list item. */
final class Ports {
    private Ports() {}

    static List<PortRange> read(SectionReader r, String option) {
        List<PortRange> out = new ArrayList<>();
        for (UciValue v : r.items(option, true)) {
            for (String part : v.text().split(",", -1)) {
                PortRange p = parse(part.trim());
                PortRange reversed = parse(reverse(part.trim()));
                if (p == null && reversed != null && !reversed.equals(parse(part.trim()))) {
                    r.error(v.position(), option, option + " '" + v.text() + "': '" + part.trim()
                            + "' is a reversed range (write " + reversed.from() + ":" + reversed.to() + ")");
                } else if (p == null) {
                    r.error(v.position(), option, option + " '" + v.text() + "': '" + part.trim()
                            + "' is not a port or range (0..65535, e.g. 443 or 1000:2000)");
                } else if (out.contains(p)) {
                    r.error(v.position(), option, option + " '" + v.text() + "': " + p + " is listed twice");
                } else {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** {@code 2000:1000} -> {@code 1000:2000}; anything else as it is. */
    private static String reverse(String s) {
        int sep = Math.max(s.indexOf(':'), s.indexOf('-'));
        return sep < 0 ? s : s.substring(sep + 1) + ":" + s.substring(0, sep);
    }

    /** {@code 443}, {@code 1000:2000} or {@code 1000-2000}; null when not a valid port or range. */
    static PortRange parse(String s) {
        int sep = Math.max(s.indexOf(':'), s.indexOf('-'));
        String a = sep < 0 ? s : s.substring(0, sep);
        String b = sep < 0 ? s : s.substring(sep + 1);
        int from = port(a);
        int to = port(b);
        if (from < 0 || to < 0 || from > to) {
            return null;
        }
        return new PortRange(from, to);
    }

    private static int port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : -1;
    }
}
