package org.mwan4.demo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lab benchmarks' command line: which parts to run and how long, as {@code name=value} words, e.g.
 * {@code only=carrier,flap runs=50 flap=60}. Defaults: every part, 50 runs, 60 s soak, 60 s flap storm, route churn at
 * 10k/s for 20 s. A bare number first is the old form {@code [runs] [soakSeconds] [flapSeconds]}.
 *
 * @param parts         carrier, probe (detection + false failovers at 5 % loss), flap, churn
 * @param runs          carrier-loss runs (the probe detection runs a fifth of them, at least 5)
 * @param soakSeconds   how long the false-failover soak at 5 % loss lasts
 * @param flapSeconds   how long wan1 flaps at 10 Hz
 * @param churnPerSecond route changes per second in the route churn
 * @param churnSeconds  how long the route churn lasts
 */
record BenchArgs(Set<String> parts, int runs, int soakSeconds, int flapSeconds, int churnPerSecond, int churnSeconds) {
    static final List<String> PARTS = List.of("carrier", "probe", "flap", "churn");

    static BenchArgs parse(String[] args) {
        Set<String> parts = new LinkedHashSet<>(PARTS);
        int runs = 50;
        int soak = 60;
        int flap = 60;
        int churnRate = 10_000;
        int churnSeconds = 20;
        for (int i = 0; i < args.length; i++) {
            String w = args[i];
            if (w.matches("\\d+")) { // the old positional form
                int v = Integer.parseInt(w);
                switch (i) {
                    case 0 -> runs = v;
                    case 1 -> soak = v;
                    case 2 -> flap = v;
                    default -> throw new IllegalArgumentException("a fourth number makes no sense: " + w);
                }
                continue;
            }
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected name=value, got '" + w + "' (names: only, runs, soak, flap, churn, churn-rate)");
            }
            String value = w.substring(eq + 1);
            switch (w.substring(0, eq)) {
                case "only" -> {
                    parts = new LinkedHashSet<>(List.of(value.split(",")));
                    if (!PARTS.containsAll(parts)) {
                        throw new IllegalArgumentException("only=" + value + ": parts are " + PARTS);
                    }
                }
                case "runs" -> runs = Integer.parseInt(value);
                case "soak" -> soak = Integer.parseInt(value);
                case "flap" -> flap = Integer.parseInt(value);
                case "churn" -> churnSeconds = Integer.parseInt(value);
                case "churn-rate" -> churnRate = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown setting '" + w + "' (names: only, runs, soak, flap, churn, churn-rate)");
            }
        }
        return new BenchArgs(parts, runs, soak, flap, churnRate, churnSeconds);
    }

    boolean wants(String part) {
        return parts.contains(part);
    }

    /** The first three fields of /proc/loadavg (1, 5, 15 minutes), to print next to every result. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
