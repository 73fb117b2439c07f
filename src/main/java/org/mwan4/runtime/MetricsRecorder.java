package org.mwan4.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.mwan4.core.State;
import org.mwan4.core.Tracker;

/** The daemon's counters for {@link ControlPlane#metrics()}; updated from the loop and the kernel thread. */
final class MetricsRecorder {
    /** Upper bounds (ms) of the apply-latency histogram. */
    static final List<Double> BUCKETS_MS = List.of(0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0);

    private final AtomicLong eventsReduced = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong latencySumMicros = new AtomicLong();
    private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS_MS.size() + 1);
    private final Map<String, Long> stateChanges = new TreeMap<>();
    private final LongSupplier eventLogBytes;

    MetricsRecorder(LongSupplier eventLogBytes) {
        this.eventLogBytes = eventLogBytes;
    }

    /** After one event was reduced: counts it and every tracker whose status changed ({@code wan/ipv4 offline}). */
    void reduced(State before, State after) {
        eventsReduced.incrementAndGet();
        if (before.trackers() == after.trackers()) {
            return;
        }
        after.trackers().forEach((key, t) -> {
            Tracker was = before.trackers().get(key);
            if (was == null || was.status() != t.status()) {
                String k = key.iface() + "/" + key.family().id() + " " + t.status().id();
                synchronized (stateChanges) {
                    stateChanges.merge(k, 1L, Long::sum);
                }
            }
        });
    }

    void applied(Duration took) {
        applied.incrementAndGet();
        double ms = took.toNanos() / 1e6;
        latencySumMicros.addAndGet(took.toNanos() / 1000);
        int i = 0;
        while (i < BUCKETS_MS.size() && ms > BUCKETS_MS.get(i)) {
            i++;
        }
        bucketCounts.incrementAndGet(i);
    }

    void failed() {
        failed.incrementAndGet();
    }

    long transactionsApplied() {
        return applied.get();
    }

    ControlPlane.DaemonMetrics snapshot() {
        List<Long> cumulative = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < BUCKETS_MS.size(); i++) {
            sum += bucketCounts.get(i);
            cumulative.add(sum);
        }
        Map<String, Long> changes;
        synchronized (stateChanges) {
            changes = new TreeMap<>(stateChanges);
        }
        return new ControlPlane.DaemonMetrics(eventsReduced.get(), applied.get(), failed.get(), eventLogBytes.getAsLong(),
                latencySumMicros.get() / 1000.0, BUCKETS_MS, cumulative, changes);
    }
}
