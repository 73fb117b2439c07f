package org.mwan4.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;
import org.mwan4.runtime.ControlPlane.DaemonMetrics;

/**
 * {@code GET /metrics} in the Prometheus text exposition format 0.0.4 (pure). Per tracker: one gauge per status
 * (1 for the current one, so {@code mwan4_tracker_status{status="online"} == 1} is an alert rule), score, per
 * target latency/loss/jitter, state changes; daemon-wide: transactions, apply latency histogram, events
 * reduced, event log size.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    static String render(StatusSnapshot status, DaemonMetrics m) {
        StringBuilder sb = new StringBuilder();
        head(sb, "mwan4_tracker_status", "gauge", "1 for the tracker's current status, 0 for the others");
        for (var i : status.interfaces()) {
            for (var f : i.families()) {
                for (TrackerStatus s : TrackerStatus.values()) {
                    sample(sb, "mwan4_tracker_status", labels("interface", i.name(), "family", f.family().id(), "status", s.id()),
                            f.status() == s ? 1 : 0);
                }
            }
        }
        head(sb, "mwan4_tracker_score", "gauge", "tracker score (down+up while online, 0 while offline)");
        for (var i : status.interfaces()) {
            for (var f : i.families()) {
                sample(sb, "mwan4_tracker_score", labels("interface", i.name(), "family", f.family().id()), f.score());
            }
        }
        target(sb, status, "mwan4_target_latency_ms", "round-trip time of the last round, milliseconds",
                StatusSnapshot.TargetStatus::latencyMs);
        target(sb, status, "mwan4_target_loss_percent", "probe loss of the last round, percent",
                StatusSnapshot.TargetStatus::lossPercent);
        target(sb, status, "mwan4_target_jitter_ms", "jitter of the last round, milliseconds",
                StatusSnapshot.TargetStatus::jitterMs);
        head(sb, "mwan4_tracker_state_changes_total", "counter", "status changes since the daemon started");
        for (Map.Entry<String, Long> e : m.stateChanges().entrySet()) {
            String[] key = e.getKey().split("[/ :]", 2);
            String l = key.length == 2 ? labels("interface", key[0], "family", key[1]) : labels("tracker", e.getKey());
            sample(sb, "mwan4_tracker_state_changes_total", l, e.getValue());
        }
        head(sb, "mwan4_transactions_applied_total", "counter", "kernel transactions applied");
        sample(sb, "mwan4_transactions_applied_total", "", m.transactionsApplied());
        head(sb, "mwan4_transactions_failed_total", "counter", "kernel transactions the kernel rejected");
        sample(sb, "mwan4_transactions_failed_total", "", m.transactionsFailed());
        head(sb, "mwan4_apply_latency_ms", "histogram", "time to apply one kernel transaction, milliseconds");
        List<Double> bounds = m.applyLatencyBucketsMs();
        long count = 0;
        for (int k = 0; k < bounds.size() && k < m.applyLatencyCounts().size(); k++) {
            count = m.applyLatencyCounts().get(k);
            sample(sb, "mwan4_apply_latency_ms_bucket", labels("le", number(bounds.get(k))), count);
        }
        long total = Math.max(count, m.transactionsApplied());
        sample(sb, "mwan4_apply_latency_ms_bucket", labels("le", "+Inf"), total);
        sb.append("mwan4_apply_latency_ms_sum ").append(number(m.applyLatencySumMs())).append('\n');
        sample(sb, "mwan4_apply_latency_ms_count", "", total);
        head(sb, "mwan4_events_reduced_total", "counter", "events folded into the state");
        sample(sb, "mwan4_events_reduced_total", "", m.eventsReduced());
        head(sb, "mwan4_event_log_bytes", "gauge", "size of the event log, bytes");
        sample(sb, "mwan4_event_log_bytes", "", m.eventLogBytes());
        return sb.toString();
    }

    private static void target(StringBuilder sb, StatusSnapshot status, String name, String help,
                               java.util.function.Function<StatusSnapshot.TargetStatus, Number> value) {
        head(sb, name, "gauge", help);
        for (var i : status.interfaces()) {
            for (var f : i.families()) {
                for (var t : f.targets()) {
                    Number v = value.apply(t);
                    if (v != null) {
                        sb.append(name).append(labels("interface", i.name(), "family", f.family().id(), "target",
                                t.target().toString())).append(' ').append(number(v.doubleValue())).append('\n');
                    }
                }
            }
        }
    }

    private static void head(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder sb, String name, String labels, long value) {
        sb.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** {@code {a="x",b="y"}} with the exposition format's escapes (backslash, quote, newline). */
    static String labels(String... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k < kv.length; k += 2) {
            if (k > 0) {
                sb.append(',');
            }
            sb.append(kv[k]).append("=\"").append(kv[k + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    /** Integers without a fraction, others as Java prints doubles; NaN/Inf in Prometheus spelling. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
