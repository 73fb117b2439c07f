package org.mwan4.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A dedicated platform thread that lives inside a named network namespace, so the JVM can open
 * netlink sockets, ICMP sockets and nft contexts there without touching the host's namespace.
 * Linux keeps the network namespace per thread: {@code setns(2)} on this thread only moves this thread,
 * and sockets created here stay bound to that namespace whichever thread uses them later.
 *
 * <p>Equals {@code ip netns exec NAME ...} for the code passed to {@link #call}. A null name means
 * "the namespace the JVM started in" (no setns).
 */
public final class NetnsThread implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000; // linux/sched.h
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // asm-generic/fcntl.h

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle SETNS = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final java.lang.foreign.StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private final String name;
    private final ExecutorService thread;
    private volatile Thread worker;

    private NetnsThread(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + (name == null ? "host" : name));
            t.setDaemon(true);
            worker = t;
            return t;
        });
    }

    /**
     * Starts a thread inside {@code /var/run/netns/<name>} (as made by {@code ip netns add <name>}).
     *
     * @throws KernelException when the namespace does not exist or setns is refused (not root)
     */
    public static NetnsThread enter(String name) {
        NetnsThread t = new NetnsThread(name);
        if (name != null) {
            try {
                t.call(() -> {
                    setns(Path.of("/var/run/netns", name));
                    return null;
                });
            } catch (KernelException e) {
                t.close();
                throw e;
            }
        }
        return t;
    }

    /** A thread in the JVM's own namespace (for {@code --netns} not given). */
    public static NetnsThread host() {
        return new NetnsThread(null);
    }

    public String name() {
        return name;
    }

    /** {@code netns NAME}, or {@code the host namespace}: for messages. */
    public String describe() {
        return name == null ? "the host namespace" : "netns " + name;
    }

    /**
     * Runs {@code work} on the namespace thread and waits for it. Checked exceptions come back as {@link KernelException}.
     * Called on the namespace thread itself, it runs {@code work} right there (no queue, no deadlock).
     */
    public <T> T call(Callable<T> work) {
        if (Thread.currentThread() == worker) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new KernelException("failed in netns " + name + ": " + e.getMessage(), e);
            }
        }
        Future<T> f = thread.submit(work);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while running in netns " + name, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new KernelException("failed in netns " + name + ": " + c.getMessage(), c);
        }
    }

    /**
     * The namespace thread as an executor, for callers that want to run a whole sequence of kernel calls there (the
     * daemon's kernel steps): each {@link #call} from inside then runs inline, with no hand-off between threads.
     */
    public Executor executor() {
        return thread;
    }

    /** Submits {@code work} without waiting. */
    public <T> Future<T> submit(Callable<T> work) {
        return thread.submit(work);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private static void setns(Path nsFile) {
        if (!Files.exists(nsFile)) {
            throw new KernelException("network namespace " + nsFile.getFileName() + " does not exist (" + nsFile + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(nsFile.toString()), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new KernelException("open " + nsFile + ": " + Errno.describe((int) ERRNO.get(state, 0L)));
            }
            try {
                int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new KernelException("setns " + nsFile + ": " + Errno.describe((int) ERRNO.get(state, 0L)));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException("setns " + nsFile + " failed: " + t, t);
        }
    }
}
