package org.mwan4.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mwan4.api.view.ConnectedView;
import org.mwan4.api.view.InterfaceView;
import org.mwan4.api.view.RuleView;
import org.mwan4.api.view.StatusView;
import org.mwan4.api.view.StrategyView;

/**
 * mwan3's status text from the API's views (pure; "now" is the daemon's, from the answer), one section per
 * family (mwan3-reference "CLI and status"):
 *
 * <pre>
 * Interface status (ipv4):
 *  interface wan is online and tracking is active (online 00h:26m:37s, uptime 48h:32m:45s)
 *  interface wanb is offline and tracking is active (offline 00h:01m:35s, uptime 48h:32m:40s)
 *
 * Current ipv4 strategies:
 * balanced:
 *  wan (75%)
 *  wanb (25%)
 * </pre>
 */
final class StatusText {
    private StatusText() {}

    static String status(StatusView s) {
        return interfaces(s.interfaces(), Instant.parse(s.now())) + "\n" + strategies(s.strategies()) + "\n"
                + connected(s.connected()) + "\n" + rules(s.rules());
    }

    /** The interface and strategy sections ({@code mwan4 status --watch}). */
    static String live(List<InterfaceView> interfaces, List<StrategyView> strategies, Instant now) {
        return interfaces(interfaces, now) + "\n" + strategies(strategies);
    }

    static String interfaces(List<InterfaceView> interfaces, Instant now) {
        StringBuilder sb = new StringBuilder();
        if (interfaces.isEmpty()) {
            return "Interface status:\n (no interfaces configured)\n";
        }
        for (String family : families(interfaces)) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("Interface status (").append(family).append("):\n");
            for (InterfaceView i : interfaces) {
                for (InterfaceView.FamilyView f : i.families()) {
                    if (f.family().equals(family)) {
                        sb.append(' ').append(line(i, f, now)).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * {@code interface wan is online and tracking is active (online 00h:26m:37s, uptime 48h:32m:45s)}. mwan3 printed {@code error (N)}
     * when something is missing (see {@link InterfaceView.FamilyView#error()}); we do so while traffic should
     * flow through the interface (online or disconnecting), where a missing piece means lost traffic.
     */
    static String line(InterfaceView i, InterfaceView.FamilyView f, Instant now) {
        String status = !i.enabled() ? "disabled" : f.status();
        boolean flowing = f.status().equals("online") || f.status().equals("disconnecting");
        if (i.enabled() && flowing && f.error() != null && f.error() > 0 && f.error() < 31) {
            status = "error (" + f.error() + ")";
        }
        String down = i.operatorDown() ? ", taken down with ifdown" : "";
        return "interface " + i.name() + " is " + status + " and tracking is " + f.tracking() + times(i, f, now) + down;
    }

    /**
     * mwan3's {@code (online 00h:26m:37s, uptime 48h:32m:45s)}: how long the tracker has been online and how long the
     * interface has been up. Offline shows since when instead of online; connecting and disconnecting only the
     * uptime; nothing while disabled (the link is down) or when the daemon sent no times.
     */
    static String times(InterfaceView i, InterfaceView.FamilyView f, Instant now) {
        if (!i.enabled()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (f.status().equals("online") && f.onlineSince() != null) {
            parts.add("online " + since(f.onlineSince(), now));
        } else if (f.status().equals("offline") && f.offlineSince() != null) {
            parts.add("offline " + since(f.offlineSince(), now));
        }
        if (f.upSince() != null && !f.status().equals("disabled")) {
            parts.add("uptime " + since(f.upSince(), now));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String since(String iso, Instant now) {
        return hms(Duration.between(Instant.parse(iso), now));
    }

    /** mwan3's {@code %02dh:%02dm:%02ds} (hours keep growing past 99). */
    static String hms(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format(java.util.Locale.ROOT, "%02dh:%02dm:%02ds", s / 3600, s % 3600 / 60, s % 60);
    }

    static String strategies(List<StrategyView> strategies) {
        StringBuilder sb = new StringBuilder();
        Set<String> families = new LinkedHashSet<>();
        strategies.forEach(s -> s.families().forEach(f -> families.add(f.family())));
        if (families.isEmpty()) {
            return "Current strategies:\n (no strategies configured)\n";
        }
        for (String family : families) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("Current ").append(family).append(" strategies:\n");
            for (StrategyView s : strategies) {
                for (StrategyView.FamilyShare f : s.families()) {
                    if (!f.family().equals(family)) {
                        continue;
                    }
                    sb.append(s.name()).append(":\n");
                    for (StrategyView.Member m : f.members()) {
                        sb.append(' ').append(m.iface()).append(" (").append(m.percent()).append("%)\n");
                    }
                    if (f.members().isEmpty()) {
                        sb.append(' ').append(f.fallback()).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    static String connected(ConnectedView c) {
        StringBuilder sb = new StringBuilder();
        for (ConnectedView.Networks n : c.families()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("Directly connected ").append(n.family()).append(" networks:\n");
            n.connected().forEach(x -> sb.append(x).append('\n'));
            if (!n.custom().isEmpty()) {
                sb.append("Custom ").append(n.family()).append(" networks (rt_table_lookup):\n");
                n.custom().forEach(x -> sb.append(x).append('\n'));
            }
        }
        return sb.toString();
    }

    /** Per family, each user rule with the kernel's packet and byte counters. */
    static String rules(List<RuleView> rules) {
        StringBuilder sb = new StringBuilder();
        List<String> families = new ArrayList<>(List.of("ipv4", "ipv6"));
        for (String family : families) {
            List<RuleView> mine = rules.stream().filter(r -> r.family().equals(family) && r.chain().startsWith("mwan4_rules_"))
                    .toList();
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("Active ").append(family).append(" user rules:\n");
            if (mine.isEmpty()) {
                sb.append(" (none)\n");
                continue;
            }
            int width = Math.max(4, mine.stream().mapToInt(r -> r.name().length()).max().orElse(0));
            sb.append(String.format(java.util.Locale.ROOT, "%10s %12s  %-" + width + "s  %s%n", "packets", "bytes", "name", "rule"));
            for (RuleView r : mine) {
                sb.append(String.format(java.util.Locale.ROOT, "%10d %12d  %-" + width + "s  %s%n", r.packets(), r.bytes(),
                        r.name(), shortRule(r.rule())));
            }
        }
        return sb.toString();
    }

    /**
     * The rule without what every user rule has: the unmarked test in front, the counter (its values are the
     * columns) and the comment at the end.
     */
    static String shortRule(String rule) {
        String r = rule.replaceFirst("^meta mark & 0x[0-9a-f]+ == 0x0+ ", "");
        r = r.replaceFirst(" counter(?: packets \\d+ bytes \\d+)?(?= )", "");
        return r.replaceFirst(" comment \"[^\"]*\"$", "");
    }

    private static Set<String> families(List<InterfaceView> interfaces) {
        Set<String> out = new java.util.TreeSet<>();
        interfaces.forEach(i -> i.families().forEach(f -> out.add(f.family())));
        return out;
    }
}
