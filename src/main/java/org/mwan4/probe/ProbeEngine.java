package org.mwan4.probe;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.mwan4.core.Effect;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.State.TrackerKey;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.probe.method.Probers;
import org.mwan4.probe.net.ProbeLoop;

/**
 * The probe engine: one {@link ProbeLoop} thread (epoll over every probe socket) inside the daemon's network
 * namespace, running the trackers the reducer's effects ask for and reporting each round to a listener.
 * {@link #apply} may be called from any thread; the listener is called on the loop thread and must return
 * quickly (hand the event to the event stream, e.g. a Reactor sink).
 */
public final class ProbeEngine implements AutoCloseable {
    private final NetnsThread thread;
    private final ProbeLoop loop;
    private final Trackers trackers;

    private ProbeEngine(NetnsThread thread, ProbeLoop loop, Trackers trackers) {
        this.thread = thread;
        this.loop = loop;
        this.trackers = trackers;
    }

    /**
     * Starts the engine.
     *
     * @param netns    network namespace to probe from ({@code ip netns} name), null for the JVM's own
     * @param wall     clock for event timestamps
     * @param listener gets every {@link ProbeRoundFinished}
     */
    public static ProbeEngine start(String netns, InstantSource wall, Consumer<ProbeRoundFinished> listener) {
        NetnsThread thread = netns == null ? NetnsThread.host() : NetnsThread.enter(netns);
        try {
            ProbeLoop loop = ProbeLoop.start(thread, wall);
            Probers probers = new Probers(loop, new SecureRandom());
            return new ProbeEngine(thread, loop, new Trackers(loop, probers::open, listener));
        } catch (RuntimeException e) {
            thread.close();
            throw e;
        }
    }

    /** Hands a reducer effect to the engine; effects other than Start/Stop/RetimeTracker are ignored. */
    public void apply(Effect effect) {
        loop.execute(() -> trackers.apply(effect));
    }

    /** The trackers probing now (waits for the loop). */
    public SortedSet<TrackerKey> running() {
        CompletableFuture<SortedSet<TrackerKey>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(trackers.running()));
        return f.join();
    }

    /** Stops every tracker, closes their sockets, and stops the loop thread. */
    @Override
    public void close() {
        loop.execute(trackers::stopAll);
        loop.close();
        thread.close();
    }
}
