package org.mwan4.probe.net;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mwan4.kernel.Errno;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one event loop of the probe engine: a single platform thread blocked in {@code epoll_wait(2)}
 * over every probe socket, with a timer queue and a task queue (woken through an eventfd). It runs on a
 * {@link NetnsThread}, so every socket opened by a task on this loop lives in that thread's network
 * namespace. Handlers and tasks run on the loop thread one after another, so probers need no locks.
 * A handler that throws is logged and the loop goes on (edges never throw into the loop).
 */
public final class ProbeLoop implements Scheduler, Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeLoop.class);
    private static final int MAX_EVENTS = 256;
    private static final int EVENT_BYTES = LinuxAbi.EPOLL_PACKED ? 12 : 16;
    private static final int EVENT_DATA = LinuxAbi.EPOLL_PACKED ? 4 : 8;
    private static final long MAX_WAIT_MS = 60_000;

    /** What the loop calls when a registered descriptor is ready. */
    public interface IoHandler {
        /** @param events the EPOLL* bits that fired */
        void ready(int events);
    }

    private final InstantSource wall;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean running = true;
    private volatile Thread loopThread;
    private volatile int wakeFd = -1;

    // loop-thread state
    private final Map<Integer, IoHandler> handlers = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;
    private Libc libc;
    private int epfd = -1;
    private MemorySegment events;
    private MemorySegment ctlEvent;
    private MemorySegment eight;

    private ProbeLoop(InstantSource wall) {
        this.wall = wall;
    }

    /**
     * Starts the loop on {@code thread} (which it then occupies until {@link #close()}).
     *
     * @throws KernelException when epoll or the eventfd cannot be created
     */
    public static ProbeLoop start(NetnsThread thread, InstantSource wall) {
        ProbeLoop loop = new ProbeLoop(wall);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        thread.submit(() -> {
            loop.run(ready);
            return null;
        });
        try {
            ready.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof KernelException ke ? ke : new KernelException("probe loop failed to start: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelException("interrupted while starting the probe loop", e);
        } catch (TimeoutException e) {
            throw new KernelException("probe loop did not start within 10 s (is its thread busy?)", e);
        }
        return loop;
    }

    /** The loop thread's libc (errno capture belongs to it): only for code running on the loop. */
    public Libc libc() {
        return libc;
    }

    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant wallTime() {
        return wall.instant();
    }

    @Override
    public Cancellable at(long atNanos, Runnable task) {
        Timer t = new Timer(atNanos, timerSeq++, task);
        timers.add(t);
        return t;
    }

    /** Runs {@code task} on the loop thread soon; callable from any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakePending.compareAndSet(false, true)) {
            wake();
        }
    }

    /** Watches {@code fd} for {@code events} (EPOLLIN/EPOLLOUT); equals {@code epoll_ctl(EPOLL_CTL_ADD)}. */
    public void register(int fd, int interest, IoHandler handler) {
        ctl(LinuxAbi.EPOLL_CTL_ADD, fd, interest);
        handlers.put(fd, handler);
    }

    /** Changes what {@code fd} is watched for ({@code EPOLL_CTL_MOD}). */
    public void modify(int fd, int interest) {
        ctl(LinuxAbi.EPOLL_CTL_MOD, fd, interest);
    }

    /** Stops watching {@code fd} ({@code EPOLL_CTL_DEL}); call before closing it. */
    public void unregister(int fd) {
        if (handlers.remove(fd) != null) {
            libc.epollCtl(epfd, LinuxAbi.EPOLL_CTL_DEL, fd, MemorySegment.NULL);
        }
    }

    private void ctl(int op, int fd, int interest) {
        ctlEvent.set(JAVA_INT_UNALIGNED, 0, interest);
        ctlEvent.set(JAVA_LONG_UNALIGNED, EVENT_DATA, fd);
        int r = libc.epollCtl(epfd, op, fd, ctlEvent);
        if (r < 0) {
            throw new KernelException("epoll_ctl op " + op + " fd " + fd + ": " + Errno.describe(-r));
        }
    }

    private void run(CompletableFuture<Void> ready) {
        try (Arena a = Arena.ofConfined()) {
            libc = new Libc(a);
            events = a.allocate((long) MAX_EVENTS * EVENT_BYTES, 8);
            ctlEvent = a.allocate(EVENT_BYTES, 8);
            eight = a.allocate(JAVA_LONG);
            try {
                open(ready);
                while (running && ready.isDone() && !ready.isCompletedExceptionally()) {
                    turn();
                }
                for (Runnable r; (r = tasks.poll()) != null; ) {
                    safely(r); // e.g. the engine's last "stop every tracker", which closes sockets
                }
            } finally {
                int w = wakeFd;
                wakeFd = -1; // other threads must not write to a descriptor number the process may reuse
                if (w >= 0) {
                    libc.close(w);
                }
                if (epfd >= 0) {
                    libc.close(epfd);
                }
            }
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(e);
            LOG.error("probe loop stopped by an unexpected error; probes stop until mwan4 restarts", e);
        } finally {
            stopped.complete(null);
        }
    }

    private void open(CompletableFuture<Void> ready) {
        epfd = libc.epollCreate1(LinuxAbi.EPOLL_CLOEXEC);
        if (epfd < 0) {
            ready.completeExceptionally(new KernelException("epoll_create1: " + Errno.describe(-epfd)));
            return;
        }
        int efd = libc.eventfd(0, LinuxAbi.EFD_NONBLOCK | LinuxAbi.EFD_CLOEXEC);
        if (efd < 0) {
            ready.completeExceptionally(new KernelException("eventfd: " + Errno.describe(-efd)));
            return;
        }
        wakeFd = efd;
        register(efd, LinuxAbi.EPOLLIN, ev -> libc.read(efd, eight, 8));
        loopThread = Thread.currentThread();
        ready.complete(null);
    }

    /**
     * One turn: queued tasks, then ready sockets, then due timers. Sockets come before timers so that an answer
     * already waiting in a socket when the loop was late is read before that probe's deadline timer runs.
     */
    private void turn() {
        wakePending.set(false);
        for (Runnable r; (r = tasks.poll()) != null; ) {
            safely(r);
        }
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        int timeoutMs;
        if (!tasks.isEmpty()) {
            timeoutMs = 0;
        } else if (timers.isEmpty()) {
            timeoutMs = (int) MAX_WAIT_MS;
        } else {
            long ns = timers.peek().at - nanoTime();
            timeoutMs = (int) Math.min(MAX_WAIT_MS, Math.max(0, (ns + 999_999) / 1_000_000));
        }
        int n = libc.epollWait(epfd, events, MAX_EVENTS, timeoutMs);
        if (n < 0 && -n != LinuxAbi.EINTR) {
            LOG.error("epoll_wait failed: {}; retrying", Errno.describe(-n));
        }
        for (int i = 0; i < n; i++) {
            long off = (long) i * EVENT_BYTES;
            int ev = events.get(JAVA_INT_UNALIGNED, off);
            int fd = (int) events.get(JAVA_LONG_UNALIGNED, off + EVENT_DATA);
            IoHandler h = handlers.get(fd);
            if (h != null) {
                try {
                    h.ready(ev);
                } catch (RuntimeException e) {
                    LOG.warn("probe handler for fd {} failed: {}; the loop goes on", fd, e.toString(), e);
                }
            }
        }
        long now = nanoTime();
        while (!timers.isEmpty() && timers.peek().at - now <= 0) {
            Timer t = timers.poll();
            if (!t.cancelled) {
                t.cancelled = true;
                safely(t.task);
            }
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("probe task failed: {}; the loop goes on", e.toString(), e);
        }
    }

    /** Wakes epoll_wait from another thread: write(2) of 1 to the eventfd, with this thread's own libc state. */
    private void wake() {
        int fd = wakeFd;
        if (fd < 0) {
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            new Libc(a).write(fd, one, 8);
        }
    }

    /** Stops the loop after the current turn and waits for it (at most 5 s). Sockets belong to their owners. */
    @Override
    public void close() {
        running = false;
        if (!inLoop()) {
            wakePending.set(false);
            wake();
            try {
                stopped.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                LOG.warn("probe loop did not stop within 5 s: {}", e.toString());
            }
        }
    }

    private static final class Timer implements Comparable<Timer>, Cancellable {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(at - o.at, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
