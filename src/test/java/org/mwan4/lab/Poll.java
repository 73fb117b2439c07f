package org.mwan4.lab;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waiting for a kernel state that follows an action asynchronously (carrier, neighbours). */
final class Poll {
    private Poll() {}

    /** Calls {@code probe} every 20 ms until it returns true or {@code limit} passes; returns the last answer. */
    static boolean until(Duration limit, Supplier<Boolean> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (probe.get()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
