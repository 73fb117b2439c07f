package org.mwan4.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.mwan4.config.Family;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;
import org.mwan4.demo.DaemonNews;
import org.mwan4.demo.InProcessDaemon;
import org.mwan4.lab.Lab;
import org.mwan4.plan.Planner;

/**
 * The daemon running in a lab's router for one end-to-end test: started with a config text, waited for until
 * its first kernel step is in, stopped (rules removed) by {@link #close()}. Keeps every piece of news it heard.
 */
final class Running implements AutoCloseable {
    static final Duration SETTLE = Duration.ofSeconds(10);

    final Lab lab;
    final InProcessDaemon daemon;
    private final List<DaemonNews> news = new ArrayList<>();

    private Running(Lab lab, InProcessDaemon daemon) {
        this.lab = lab;
        this.daemon = daemon;
        daemon.watch(n -> {
            synchronized (news) {
                news.add(n);
            }
        });
    }

    /** Starts mwan4 in the lab's router and waits for its first kernel transaction. */
    static Running start(Lab lab, String config) {
        Running r = new Running(lab, InProcessDaemon.start(lab.router().name(), config, false));
        try {
            r.await("the first kernel transaction", () -> r.news(DaemonNews.Applied.class::isInstance).size() > 0);
            return r;
        } catch (RuntimeException | AssertionError e) {
            r.close();
            throw e;
        }
    }

    List<DaemonNews> news(Predicate<DaemonNews> which) {
        synchronized (news) {
            return news.stream().filter(which).toList();
        }
    }

    int transactions() {
        return news(DaemonNews.Applied.class::isInstance).size();
    }

    TrackerStatus status(String iface, Family f) {
        return daemon.status(iface, f);
    }

    /**
     * Waits until the tracker has {@code status} and the kernel holds the plan of that state. The status is
     * published when the event is reduced, the kernel step follows on another thread: waiting for "no transaction
     * for a while" alone lets a test send traffic into the old rules when that step is slow (a loaded machine).
     */
    void awaitStatus(String iface, Family f, TrackerStatus status) {
        await(iface + "/" + f.id() + " " + status.name().toLowerCase(), () -> status(iface, f) == status);
        awaitKernel();
        awaitQuiet();
    }

    /** Waits until the last kernel step left exactly what the daemon's current state plans (the kernel caught up). */
    void awaitKernel() {
        await("the kernel to hold the plan of the current state", this::kernelCaughtUp);
    }

    /** Whether the kernel holds the plan of the daemon's state now (what the last step applied equals plan(state)). */
    boolean kernelCaughtUp() {
        State s = daemon.state();
        return s.config() != null && daemon.control().desired().equals(Optional.of(Planner.plan(s)));
    }

    /** Waits until no kernel transaction happened for 150 ms (the last change is in the kernel). */
    void awaitQuiet() {
        int[] seen = {transactions()};
        long[] since = {System.nanoTime()};
        await("a quiet kernel", () -> {
            int now = transactions();
            if (now != seen[0]) {
                seen[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > 150_000_000L;
        });
    }

    void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + SETTLE.toSeconds() + " s for " + what + "; status now: "
                        + daemon.status() + "; news: " + news(n -> true));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
