package org.mwan4.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mwan4.core.Event;
import org.mwan4.kernel.Kernel;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Wires a {@link Daemon}; everything but the brain and the kernel has a default. */
public final class DaemonBuilder {
    Brain brain;
    Kernel kernel;
    EventJournal journal = EventJournal.none();
    Scheduler loop;
    Scheduler kernelThread;
    Scheduler io;
    final List<Flux<Event>> sources = new ArrayList<>();
    Duration tick = Duration.ofSeconds(1);
    boolean awaitNetlink;
    boolean keepRules;
    TrackerPort trackers = TrackerPort.none();
    ConntrackPort conntrack = ConntrackPort.none();
    Path hookScript;
    Duration hookTimeout = Duration.ofSeconds(30);
    StatusFile statusFile;
    RulesetPostFiles rulesetFiles;
    Consumer<Daemon.Step> stepListener;
    Consumer<KernelStepper.Outcome> outcomeListener;

    DaemonBuilder() {}

    public DaemonBuilder brain(Brain b) {
        this.brain = b;
        return this;
    }

    public DaemonBuilder kernel(Kernel k) {
        this.kernel = k;
        return this;
    }

    public DaemonBuilder journal(EventJournal j) {
        this.journal = j;
        return this;
    }

    /** The loop's single thread (default: a new single-threaded scheduler); tests pass a virtual-time one. */
    public DaemonBuilder loop(Scheduler s) {
        this.loop = s;
        return this;
    }

    /** Where kernel steps run, one at a time (default: the kernel's {@link Kernel#home()}, else a new single thread). */
    public DaemonBuilder kernelThread(Scheduler s) {
        this.kernelThread = s;
        return this;
    }

    /** Where blocking edge work runs: status file writes, conntrack flushes (default: a new single thread). */
    public DaemonBuilder io(Scheduler s) {
        this.io = s;
        return this;
    }

    /** An event source (rtnetlink, probes, nft monitor); merged into the loop. */
    public DaemonBuilder source(Flux<Event> events) {
        this.sources.add(events);
        return this;
    }

    /** Clock ticks (default 1 s; zero: none). */
    public DaemonBuilder tick(Duration d) {
        this.tick = d;
        return this;
    }

    /** Hold kernel steps until the first {@link Event.NetlinkResynced} (so a restart never plans without facts). */
    public DaemonBuilder awaitNetlink(boolean on) {
        this.awaitNetlink = on;
        return this;
    }

    public DaemonBuilder keepRules(boolean on) {
        this.keepRules = on;
        return this;
    }

    public DaemonBuilder trackers(TrackerPort t) {
        this.trackers = t;
        return this;
    }

    public DaemonBuilder conntrack(ConntrackPort c) {
        this.conntrack = c;
        return this;
    }

    /** The user hook script (null: none) and how long one run may take. */
    public DaemonBuilder hook(Path script, Duration timeout) {
        this.hookScript = script;
        this.hookTimeout = timeout;
        return this;
    }

    public DaemonBuilder statusFile(StatusFile f) {
        this.statusFile = f;
        return this;
    }

    public DaemonBuilder rulesetFiles(RulesetPostFiles f) {
        this.rulesetFiles = f;
        return this;
    }

    /** Sees every reduced event with its state and effects, on the loop thread. */
    public DaemonBuilder onStep(Consumer<Daemon.Step> l) {
        this.stepListener = l;
        return this;
    }

    /** Sees every kernel step's outcome, on the kernel thread. */
    DaemonBuilder onKernelStep(Consumer<KernelStepper.Outcome> l) {
        this.outcomeListener = l;
        return this;
    }

    public Daemon build() {
        if (loop == null) {
            loop = Schedulers.newSingle("mwan4-loop", true);
        }
        if (kernelThread == null) {
            // the kernel's own thread when it has one (libnftables' namespace thread): no hand-off per nft call
            kernelThread = kernel == null ? null : kernel.home().map(Schedulers::fromExecutor)
                    .orElseGet(() -> Schedulers.newSingle("mwan4-kernel", true));
        }
        if (io == null) {
            io = Schedulers.newSingle("mwan4-io", true);
        }
        return new Daemon(this);
    }
}
