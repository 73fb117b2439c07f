package org.mwan4.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.mwan4.kernel.Kernel;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.Op;

/**
 * A test kernel that keeps the chains the ops leave (enough for the loop's tests), records every step,
 * can be slowed down, made to fail, or wiped like {@code nft flush table inet fw4}.
 */
final class SimKernel implements Kernel {
    private Desired holds;
    private final List<List<Op>> steps = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile long delayMillis;
    private int reads;

    SimKernel(Desired initial) {
        this.holds = initial;
    }

    SimKernel() {
        this(Desired.empty());
    }

    @Override
    public synchronized void apply(List<Op> ops) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new KernelException("nft rejected op 1 of " + ops.size() + " (test): No such file or directory");
        }
        TreeMap<String, NftChain> chains = new TreeMap<>(holds.chains());
        for (Op op : ops) {
            if (op instanceof Op.AddChain a) {
                if (chains.putIfAbsent(a.chain().name(), a.chain()) != null) {
                    throw new KernelException("add chain " + a.chain().name() + ": File exists");
                }
            } else if (op instanceof Op.ReplaceChain r) {
                if (chains.put(r.chain().name(), r.chain()) == null) {
                    throw new KernelException("flush chain " + r.chain().name() + ": No such file or directory");
                }
            } else if (op instanceof Op.DeleteChain d) {
                chains.remove(d.name());
            } else {
                throw new IllegalArgumentException("SimKernel keeps chains only, not " + op);
            }
        }
        holds = new Desired(holds.sets(), chains, holds.ipRules(), holds.routes());
        steps.add(List.copyOf(ops));
    }

    @Override
    public synchronized Desired read() {
        reads++;
        return holds;
    }

    synchronized Desired holds() {
        return holds;
    }

    synchronized List<List<Op>> steps() {
        return List.copyOf(steps);
    }

    synchronized int reads() {
        return reads;
    }

    /** Someone else wiped everything ({@code nft flush table inet fw4}). */
    synchronized void wipe() {
        holds = new Desired(new TreeMap<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
    }

    void failNext(int n) {
        failNext.set(n);
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    @Override
    public String describe() {
        return "simulated (test)";
    }

    @Override
    public void close() {}
}
