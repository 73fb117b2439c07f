package org.mwan4.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import org.mwan4.probe.net.Scheduler;

/** Virtual time for tracker tests: tasks run only when the test advances the clock, in deadline order. */
final class ManualScheduler implements Scheduler {
    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now = 1_000_000_000L; // monotonic time need not start at 0
    private final long origin = now;
    private long seq;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Instant wallTime() {
        return EPOCH.plusNanos(now - origin);
    }

    /** Nanoseconds since the scheduler was made (for readable assertions). */
    long elapsed() {
        return now - origin;
    }

    @Override
    public Cancellable at(long atNanos, Runnable task) {
        Task t = new Task(Math.max(atNanos, now), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Runs everything due up to {@code now + d}, each at its own time. */
    void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + d);
        }
        long until = now + d.toNanos();
        while (!tasks.isEmpty() && tasks.peek().at <= until) {
            Task t = tasks.poll();
            if (!t.cancelled) {
                now = t.at;
                t.cancelled = true;
                t.task.run();
            }
        }
        now = until;
    }

    /** Live (not cancelled) scheduled tasks, for leak checks. */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
