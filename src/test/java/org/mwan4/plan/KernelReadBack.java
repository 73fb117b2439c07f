package org.mwan4.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mwan4.config.Cidr;

/**
 * Our sets and chains as {@code nft list table inet fw4} prints them, parsed back the way the kernel helper reads
 * them (rules are the printed text, elements are prefixes). Test code only: it proves that what the planner
 * writes is exactly what the kernel lists.
 */
final class KernelReadBack {
    private static final Pattern HOOK = Pattern.compile("type (\\S+) hook (\\S+) priority (\\S+); policy accept;");
    private static final Pattern DURATION = Pattern.compile("(\\d+)([dhms])");
    /** What a stateful listing adds to a counter; the daemon lists statelessly ({@code nft -s}), so drop it. */
    private static final Pattern COUNTER_VALUES = Pattern.compile("\\bcounter packets \\d+ bytes \\d+");

    private KernelReadBack() {}

    /** Sets and chains whose names start with {@code mwan4_}; managedElements is true for every set. */
    static Desired parse(String listing) {
        TreeMap<String, NftSet> sets = new TreeMap<>();
        TreeMap<String, NftChain> chains = new TreeMap<>();
        List<String> lines = listing.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("set ") && l.endsWith("{")) {
                String name = l.substring(4, l.length() - 1).strip();
                String type = "";
                boolean interval = false;
                int timeout = 0;
                StringBuilder elements = new StringBuilder();
                boolean inElements = false;
                for (i++; i < lines.size() && !lines.get(i).strip().equals("}"); i++) {
                    String s = lines.get(i).strip();
                    if (inElements || s.startsWith("elements = {")) {
                        elements.append(' ').append(s.replace("elements = {", ""));
                        inElements = !s.endsWith("}");
                    } else if (s.startsWith("type ")) {
                        type = s.substring(5);
                    } else if (s.startsWith("flags ")) {
                        interval = s.contains("interval");
                    } else if (s.startsWith("timeout ")) {
                        timeout = seconds(s.substring(8));
                    }
                }
                TreeSet<Cidr> e = new TreeSet<>();
                for (String item : elements.toString().replace("}", "").split(",")) {
                    if (!item.isBlank()) {
                        e.add(Cidr.parse(item.strip()).orElseThrow(() -> new AssertionError("element not a prefix: " + item)));
                    }
                }
                if (name.startsWith("mwan4_")) {
                    sets.put(name, new NftSet(name, type, interval, timeout, e, true));
                }
            } else if (l.startsWith("chain ") && l.endsWith("{")) {
                String name = l.substring(6, l.length() - 1).strip();
                NftChain.Hook hook = null;
                List<String> rules = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).strip().equals("}"); i++) {
                    String s = lines.get(i).strip();
                    Matcher m = HOOK.matcher(s);
                    if (m.matches()) {
                        hook = new NftChain.Hook(m.group(1), m.group(2), m.group(3));
                    } else if (!s.isEmpty()) {
                        rules.add(COUNTER_VALUES.matcher(s).replaceAll("counter"));
                    }
                }
                if (name.startsWith("mwan4_")) {
                    chains.put(name, new NftChain(name, hook, rules));
                }
            }
        }
        return new Desired(sets, chains, new TreeSet<>(), new TreeSet<>());
    }

    /** {@code 10m}, {@code 1h30m}, {@code 45s} -> seconds. */
    static int seconds(String d) {
        Matcher m = DURATION.matcher(d);
        int total = 0;
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            total += switch (m.group(2)) {
                case "d" -> n * 86400;
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return total;
    }

    /** {@code want} as the read-back can see it: no ip side, every set's elements as managed (sticky ones empty). */
    static Desired visible(Desired want) {
        TreeMap<String, NftSet> sets = new TreeMap<>();
        for (NftSet s : want.sets().values()) {
            sets.put(s.name(), new NftSet(s.name(), s.keyType(), s.interval(), s.timeoutSeconds(), s.elements(), true));
        }
        return new Desired(sets, want.chains(), new TreeSet<>(), new TreeSet<>());
    }
}
