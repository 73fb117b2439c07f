package org.mwan4.runtime;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.mwan4.core.State;
import org.mwan4.kernel.Kernel;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kernel step at a time (the loop calls it through a {@code concatMap}, never concurrently): plan the
 * state, diff it against what the kernel holds, apply the difference as one step. The ruleset-post files are
 * rewritten after the step returned, on the {@code io} executor (they fsync: milliseconds that would otherwise
 * delay every failover; a burst of steps writes only its last plan). What the kernel holds is the previous
 * step's plan, or a fresh read-back when it is unknown: at
 * start (reconcile without a flush), after a failed step, and after someone else changed our objects.
 *
 * <p>Failures never throw: they come back as {@link Outcome.Failed}, which the loop turns into a
 * {@code KernelApplyFailed} event.
 */
final class KernelStepper {
    private static final Logger LOG = LoggerFactory.getLogger(KernelStepper.class);

    /** The state after event {@code seq}, to be made real. */
    record Work(long seq, State state) {}

    sealed interface Outcome {
        long throughSeq();

        Instant at();

        /**
         * @param readBack what the step read from the kernel and diffed against (null: it diffed against the previous step's plan)
         * @param want     the plan now in the kernel
         */
        record Applied(long throughSeq, Instant at, List<Op> ops, Desired readBack, Desired want, Duration took) implements Outcome {
            public Applied {
                ops = List.copyOf(ops);
            }
        }

        record Failed(long throughSeq, Instant at, String message) implements Outcome {}
    }

    private final Kernel kernel;
    private final Brain brain;
    private final RulesetPostFiles files;
    private final Supplier<Instant> clock;
    private final Executor io;
    private final AtomicBoolean reread = new AtomicBoolean(true);
    /** The plan whose files are still to be written (null: none pending). */
    private final AtomicReference<Desired> unwritten = new AtomicReference<>();
    private Desired have;

    /**
     * @param files null: no ruleset-post files (tests)
     * @param io    where the files are written, after the step
     */
    KernelStepper(Kernel kernel, Brain brain, RulesetPostFiles files, Supplier<Instant> clock, Executor io) {
        this.kernel = kernel;
        this.brain = brain;
        this.files = files;
        this.clock = clock;
        this.io = io;
    }

    /** The next step reads the kernel before diffing (any thread). */
    void requestReadBack() {
        reread.set(true);
    }

    /** What the last successful step left in the kernel (null before the first one or after a failure). */
    synchronized Desired have() {
        return have;
    }

    synchronized Outcome step(Work w) {
        long t0 = System.nanoTime();
        Desired readBack = null;
        List<Op> ops = List.of();
        try {
            if (reread.getAndSet(false) || have == null) {
                readBack = kernel.read();
                have = readBack;
            }
            Desired want = brain.plan(w.state());
            ops = brain.diff(have, want);
            if (!ops.isEmpty()) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("applying {} ops for events up to {}:\n  {}", ops.size(), w.seq(), String.join("\n  ", brain.describe(ops)));
                }
                kernel.apply(ops);
            }
            have = want;
            writeFilesLater(want);
            return new Outcome.Applied(w.seq(), clock.get(), ops, readBack, want, Duration.ofNanos(System.nanoTime() - t0));
        } catch (RuntimeException e) {
            have = null; // unknown now: the next step reads the kernel again
            String what = ops.isEmpty() ? "reading or planning the kernel state" : "applying " + ops.size() + " ops";
            return new Outcome.Failed(w.seq(), clock.get(), what + " for events up to " + w.seq() + " failed: " + e.getMessage());
        }
    }

    /** Queues the files of {@code want} for the io executor; while a write is pending only the newest plan is kept. */
    private void writeFilesLater(Desired want) {
        if (files != null && unwritten.getAndSet(want) == null) {
            io.execute(this::writeUnwritten);
        }
    }

    private void writeUnwritten() {
        synchronized (files) { // against removeAll: files deleted at stop never come back
            Desired want = unwritten.getAndSet(null);
            if (want != null) {
                writeFiles(want);
            }
        }
    }

    private void writeFiles(Desired want) {
        try {
            List<java.nio.file.Path> changed = files.write(want);
            if (!changed.isEmpty()) {
                LOG.debug("rewrote {}", changed);
            }
        } catch (IOException | RuntimeException e) {
            // the kernel has the new state; only a later fw4 reload would bring back an older one
            LOG.error("cannot write the ruleset-post files in {}: {}; a fw4 reload would restore an older state until the next change",
                    files.dir(), e.toString());
        }
    }

    /**
     * At stop: removes every object of ours (reading the kernel when the last step failed) and our
     * ruleset-post files. Equals deleting our chains and sets, {@code ip rule del} of our rules and
     * {@code ip route flush table N} of our tables.
     */
    synchronized Outcome removeAll(long seq) {
        long t0 = System.nanoTime();
        try {
            Desired current = have == null ? kernel.read() : have;
            List<Op> ops = brain.diff(current, Desired.empty());
            if (!ops.isEmpty()) {
                kernel.apply(ops);
            }
            have = Desired.empty();
            if (files != null) {
                synchronized (files) {
                    unwritten.set(null);
                    files.remove();
                }
            }
            return new Outcome.Applied(seq, clock.get(), ops, null, Desired.empty(), Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException | RuntimeException e) {
            have = null;
            return new Outcome.Failed(seq, clock.get(), "removing our kernel objects at stop failed: " + e.getMessage());
        }
    }
}
