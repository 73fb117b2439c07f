package org.mwan4.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mwan4.core.Event.ProbeRoundFinished;

/** Collects the engine's rounds (from the loop thread) for a test to wait on. */
final class RoundCollector implements Consumer<ProbeRoundFinished> {
    private final LinkedBlockingQueue<ProbeRoundFinished> queue = new LinkedBlockingQueue<>();

    @Override
    public void accept(ProbeRoundFinished e) {
        queue.add(e);
    }

    /** The next round of {@code iface}, waiting up to {@code max}; fails the test when none comes. */
    ProbeRoundFinished next(String iface, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                ProbeRoundFinished e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no probe round of " + iface + " within " + max);
                }
                if (e.iface().equals(iface)) {
                    return e;
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The next {@code n} rounds of {@code iface}. */
    List<ProbeRoundFinished> next(String iface, int n, Duration maxEach) {
        List<ProbeRoundFinished> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next(iface, maxEach));
        }
        return out;
    }

    /** The first round of each of {@code ifaces}, as far as they come within {@code max} in all. */
    java.util.Map<String, ProbeRoundFinished> firstOfEach(List<String> ifaces, Duration max) {
        java.util.Map<String, ProbeRoundFinished> out = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + max.toNanos();
        try {
            while (out.size() < ifaces.size()) {
                long left = deadline - System.nanoTime();
                ProbeRoundFinished e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    return out;
                }
                out.putIfAbsent(e.iface(), e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    void clear() {
        queue.clear();
    }
}
