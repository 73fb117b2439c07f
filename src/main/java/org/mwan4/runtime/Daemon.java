package org.mwan4.runtime;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Next;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.kernel.Kernel;
import org.mwan4.runtime.ControlPlane.DaemonEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The daemon's one ordered loop (STYLE.md section 7):
 *
 * <pre>
 * sources (rtnetlink, probes, nft monitor, commands, reloads, kernel feedback) + 1 s ticks
 *   -> merge -> publishOn(loop)           one thread, no locks in the core
 *   -> seq++, event log append            BEFORE the reducer sees it
 *   -> reduce(State, Event) -> Next       pure
 *   -> kernel work (seq, state)           onBackpressureLatest + concatMap(prefetch 0) on the kernel thread:
 *                                         one step at a time, a burst collapses to its latest state
 *   -> effects to their edges             non-blocking (probe engine, hooks, conntrack, status file, log)
 * </pre>
 *
 * Kernel work is handed over before the effects, so a failover's kernel step runs while this thread logs, publishes
 * and writes status; the kernel thread is the kernel's own ({@link org.mwan4.kernel.Kernel#home()}) when it has one,
 * so the step's nft calls need no further hand-off, and the ruleset-post files follow the step on the io thread.
 *
 * Time comes from the loop's scheduler ({@link Scheduler#now}), so tests drive the loop in virtual time.
 * Failures at the edges come back as events ({@link Event.KernelApplyFailed}) and never end the loop.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** Retry delay after the n-th failed kernel step in a row (capped), so a persistent error does not spin. */
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    /** One reduced event, for listeners (tests, replay comparison). */
    public record Step(long seq, Event event, State state, List<org.mwan4.core.Effect> effects) {}

    private final Brain brain;
    private final Kernel kernel;
    private final EventJournal journal;
    private final Scheduler loop;
    private final Scheduler kernelThread;
    private final EffectEdges edges;
    private final KernelStepper stepper;
    private final HookRunner hooks;
    private final List<Flux<Event>> sources;
    private final Duration tick;
    private final boolean awaitNetlink;
    private final boolean keepRules;
    private final Consumer<Step> stepListener;
    private final Consumer<KernelStepper.Outcome> outcomeListener;
    private final MetricsRecorder metrics;

    private final Sinks.Many<Event> inbox = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Many<KernelStepper.Work> work = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Many<DaemonEvent> published = Sinks.many().multicast().directBestEffort();
    private final Sinks.One<Void> stopped = Sinks.one();
    private final List<Disposable> running = new ArrayList<>();

    // confined to the loop thread
    private State state = State.initial();
    private long seq;
    private boolean ready;
    private boolean resynced;
    private boolean stopping;
    private boolean journalBroken;
    // written by the loop, read anywhere
    private volatile State latest = State.initial();
    private volatile Event.ConfigLoaded lastConfig;
    private volatile long publishedSeq;
    private int failuresInRow; // kernel thread only

    Daemon(DaemonBuilder b) {
        this.brain = Objects.requireNonNull(b.brain, "brain");
        this.kernel = Objects.requireNonNull(b.kernel, "kernel");
        this.journal = b.journal;
        this.loop = b.loop;
        this.kernelThread = b.kernelThread;
        this.sources = List.copyOf(b.sources);
        this.tick = b.tick;
        this.awaitNetlink = b.awaitNetlink;
        this.keepRules = b.keepRules;
        this.stepListener = b.stepListener;
        this.outcomeListener = b.outcomeListener;
        this.metrics = new MetricsRecorder(journal::bytesWritten);
        this.stepper = new KernelStepper(kernel, brain, b.rulesetFiles, this::now, r -> b.io.schedule(r));
        EffectEdges[] self = new EffectEdges[1];
        this.hooks = b.hookScript == null ? null : new HookRunner(b.hookScript, b.hookTimeout, o -> self[0].hookEnded(o));
        this.edges = new EffectEdges(b.trackers, hooks, b.conntrack, b.statusFile, b.io, this::operatorLog);
        self[0] = edges;
    }

    public static DaemonBuilder builder() {
        return new DaemonBuilder();
    }

    /** Subscribes the loop and the kernel pipeline; events submitted before are kept and reduced first. */
    public Daemon start() {
        running.add(work.asFlux()
                .onBackpressureLatest()
                .concatMap(w -> Mono.fromCallable(() -> stepper.step(w)).subscribeOn(kernelThread), 0)
                .subscribe(this::onOutcome, e -> LOG.error("kernel pipeline ended unexpectedly", e), this::finish));
        // the inbox first: merge subscribes in order, so events submitted before start (the ConfigLoaded) are
        // reduced before anything a source emits while it is being subscribed (a netlink resync)
        List<Flux<Event>> all = new ArrayList<>();
        all.add(inbox.asFlux());
        all.addAll(sources);
        if (!tick.isZero()) {
            all.add(Flux.interval(tick, tick, loop).map(i -> new Event.Ticked(now())));
        }
        running.add(Flux.merge(all).publishOn(loop, 256)
                .subscribe(this::onEvent, e -> LOG.error("event loop ended unexpectedly", e)));
        LOG.info("mwan4 daemon started: kernel {}", kernel.describe());
        return this;
    }

    /** The loop's clock. */
    public Instant now() {
        return Instant.ofEpochMilli(loop.now(TimeUnit.MILLISECONDS));
    }

    /** Hands an event to the loop (any thread; never blocks). Ignored once the daemon stops. */
    public void submit(Event e) {
        synchronized (inbox) {
            Sinks.EmitResult r = inbox.tryEmitNext(e);
            if (r.isFailure()) {
                LOG.warn("event {} dropped: the loop is gone ({})", e.getClass().getSimpleName(), r);
            }
        }
    }

    private void onEvent(Event e) {
        if (stopping) {
            return; // after ShutdownRequested nothing is logged or reduced any more
        }
        long s = ++seq;
        LoggedEvent le = new LoggedEvent(s, e);
        appendToJournal(le);
        Next next;
        try {
            next = brain.reduce(state, e);
        } catch (RuntimeException x) {
            LOG.error("the reducer failed on event {} ({}); the state stays as it was", s, e.getClass().getSimpleName(), x);
            return;
        }
        State before = state;
        state = next.state();
        latest = state;
        boolean shutdown = e instanceof Event.ShutdownRequested;
        if (!shutdown) {
            kernelWork(s, e, before); // first: the kernel thread starts while this thread runs the edges
        }
        if (e instanceof Event.ConfigLoaded c && state.config() != before.config()) {
            lastConfig = c;
        }
        metrics.reduced(before, state);
        edges.dispatch(state, next.effects());
        if (next.effects().stream().anyMatch(fx -> fx instanceof org.mwan4.core.Effect.WriteStatus)) {
            publish(new DaemonEvent.StatusChanged(s, e.at(), StatusSnapshot.of(state)));
        }
        if (stepListener != null) {
            stepListener.accept(new Step(s, e, state, next.effects()));
        }
        if (shutdown) {
            stopping = true;
            work.tryEmitComplete(); // the kernel thread finishes the queued step, then cleans up (finish)
        }
    }

    private void appendToJournal(LoggedEvent le) {
        try {
            journal.append(le);
            journalBroken = false;
        } catch (IOException | RuntimeException x) {
            if (!journalBroken) {
                LOG.error("cannot append event {} to the event log: {}; running on without a complete log (replays of this run"
                        + " stop being exact)", le.seq(), x.toString());
            }
            journalBroken = true;
        }
    }

    /** Queues the new state for the kernel when it may plan differently, once the first facts are in. */
    private void kernelWork(long s, Event e, State before) {
        boolean reread = e instanceof Event.ChainsMissing || e instanceof Event.KernelApplyFailed;
        if (reread) {
            stepper.requestReadBack();
        }
        if (e instanceof Event.NetlinkResynced) {
            resynced = true;
        }
        boolean nowReady = state.config() != null && (resynced || !awaitNetlink);
        boolean first = nowReady && !ready;
        ready = nowReady;
        if (ready && (first || reread || !sameButTime(before, state))) {
            work.tryEmitNext(new KernelStepper.Work(s, state));
        }
    }

    /** Whether only the clock moved (ticks): then the plan cannot change. */
    static boolean sameButTime(State a, State b) {
        return a == b || a.at(b.now()).equals(b);
    }

    private void onOutcome(KernelStepper.Outcome o) {
        if (outcomeListener != null) {
            outcomeListener.accept(o);
        }
        switch (o) {
            case KernelStepper.Outcome.Applied a -> {
                failuresInRow = 0;
                if (a.ops().isEmpty() && a.readBack() == null) {
                    return; // nothing changed in the kernel: no transaction, no marker
                }
                metrics.applied(a.took());
                List<String> text = brain.describe(a.ops());
                publish(new DaemonEvent.TransactionApplied(a.throughSeq(), a.at(), text, a.took()));
                if (!a.ops().isEmpty()) {
                    LOG.info("applied {} ops for events up to {} in {} ms", a.ops().size(), a.throughSeq(),
                            String.format(java.util.Locale.ROOT, "%.2f", a.took().toNanos() / 1e6));
                }
                if (!stopping) {
                    // the event log says which events this step covered (and what it read), so a replay diffs here too
                    submit(new Event.KernelStepApplied(a.at(), a.throughSeq(),
                            a.readBack() == null ? null : DesiredJson.encode(a.readBack())));
                }
            }
            case KernelStepper.Outcome.Failed f -> {
                metrics.failed();
                failuresInRow++;
                LOG.debug("kernel step failed: {}", f.message()); // the reducer logs it as the KernelApplyFailed event
                publish(new DaemonEvent.TransactionFailed(f.throughSeq(), f.at(), f.message()));
                Duration delay = retryDelay(failuresInRow);
                Event failed = new Event.KernelApplyFailed(f.at(), f.message());
                if (delay.isZero()) {
                    submit(failed);
                } else {
                    loop.schedule(() -> submit(failed), delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** 0 for the first failure, then 100 ms doubling up to {@link #MAX_RETRY}. */
    static Duration retryDelay(int failuresInRow) {
        if (failuresInRow <= 1) {
            return Duration.ZERO;
        }
        long ms = 100L << Math.min(failuresInRow - 2, 10);
        return Duration.ofMillis(Math.min(ms, MAX_RETRY.toMillis()));
    }

    /** On the kernel thread after the last step: remove our objects unless told to keep them, then report stopped. */
    private void finish() {
        if (!keepRules) {
            KernelStepper.Outcome o = stepper.removeAll(seq);
            if (outcomeListener != null) {
                outcomeListener.accept(o);
            }
            switch (o) {
                case KernelStepper.Outcome.Applied a -> LOG.info("removed our kernel objects ({} ops)", a.ops().size());
                case KernelStepper.Outcome.Failed f -> LOG.error(f.message());
            }
        } else {
            LOG.info("keeping our rules in place (--keep-rules)");
        }
        stopped.tryEmitEmpty();
    }

    /**
     * Stops: the reducer sees {@link Event.ShutdownRequested} (trackers stop, hooks fire with MWAN4_SHUTDOWN=1),
     * the queued kernel step completes, our objects are removed (or kept). Completes when that is done;
     * hooks get what is left of {@code hookGrace}.
     */
    public Mono<Void> stop(Duration hookGrace) {
        submit(new Event.ShutdownRequested(now(), keepRules));
        return stopped.asMono().then(Mono.fromRunnable(() -> {
            if (hooks != null) {
                hooks.awaitIdle(hookGrace);
            }
        }));
    }

    private void operatorLog(String level, String message) {
        publish(new DaemonEvent.Logged(publishedSeq, now(), level, message));
    }

    private void publish(DaemonEvent e) {
        synchronized (published) {
            publishedSeq = Math.max(publishedSeq, e.seq());
            published.tryEmitNext(e); // best effort: a slow subscriber misses events, the loop never waits
        }
    }

    // ---- what the control plane reads ----

    /** The state after the last reduced event. */
    public State state() {
        return latest;
    }

    Event.ConfigLoaded lastConfig() {
        return lastConfig;
    }

    Brain brain() {
        return brain;
    }

    /** What the kernel holds according to the last successful step (null: unknown). */
    org.mwan4.plan.Desired kernelHas() {
        return stepper.have();
    }

    Flux<DaemonEvent> events() {
        return published.asFlux();
    }

    ControlPlane.DaemonMetrics metrics() {
        return metrics.snapshot();
    }

    /** Stops the loop and the kernel pipeline without cleaning up (tests, after {@link #stop}). */
    @Override
    public void close() {
        running.forEach(Disposable::dispose);
        if (hooks != null) {
            hooks.close();
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.warn("closing the event log: {}", e.toString());
        }
    }
}
