package org.mwan4.kernel;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;

/**
 * A kernel that records every step instead of applying it (tests, {@code mwan4 run --dry-run}).
 * It does not simulate the kernel: {@link #read()} returns what it was constructed with.
 */
public final class RecordingKernel implements Kernel {
    private final Desired existing;
    private final List<List<Op>> steps = new ArrayList<>();

    public RecordingKernel() {
        this(Desired.empty());
    }

    public RecordingKernel(Desired existing) {
        this.existing = existing;
    }

    @Override
    public synchronized void apply(List<Op> ops) {
        steps.add(List.copyOf(ops));
    }

    @Override
    public Desired read() {
        return existing;
    }

    /** Every step applied so far, in order. */
    public synchronized List<List<Op>> steps() {
        return List.copyOf(steps);
    }

    @Override
    public String describe() {
        return "recording (dry run: nothing is applied)";
    }

    @Override
    public void close() {}
}
