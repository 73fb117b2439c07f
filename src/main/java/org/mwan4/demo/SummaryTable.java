package org.mwan4.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The demo's closing table, as aligned plain text. Pure. */
public final class SummaryTable {
    private static final List<String> HEADER = List.of("event", "detection", "kernel apply", "failover", "traffic moved", "result");

    private SummaryTable() {}

    public static String render(List<SummaryRow> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        for (SummaryRow r : rows) {
            cells.add(List.of(r.event(), ms(r.detection()), ms(r.kernelApply()), ms(r.failover()), r.traffic(),
                    (r.ok() ? "ok" : "FAILED") + (r.note().isEmpty() ? "" : " (" + r.note() + ")")));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : cells) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(line(cells.get(i), width));
            if (i == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                sb.append(line(rule, width));
            }
        }
        return sb.toString();
    }

    private static String line(List<String> row, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < row.size(); c++) {
            boolean number = c >= 1 && c <= 3;
            String cell = row.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(number ? pad + cell : cell + (c == row.size() - 1 ? "" : pad));
            if (c < row.size() - 1) {
                sb.append("  ");
            }
        }
        return sb.toString().stripTrailing() + "\n";
    }

    /** {@code 1.234 ms} below 10 ms, {@code 812 ms} below 10 s, else seconds; {@code -} when absent. */
    static String ms(Optional<Duration> d) {
        if (d.isEmpty()) {
            return "-";
        }
        double ms = d.get().toNanos() / 1e6;
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.3f ms", ms);
        }
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }
}
