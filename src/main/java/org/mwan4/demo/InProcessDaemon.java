package org.mwan4.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.core.Event;
import org.mwan4.core.Reducer;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.LinuxKernel;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.conntrack.Conntrack;
import org.mwan4.kernel.netlink.RtnetlinkMonitor;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Planner;
import org.mwan4.probe.ProbeEngine;
import org.mwan4.runtime.Brain;
import org.mwan4.runtime.ControlPlane.DaemonEvent;
import org.mwan4.runtime.Daemon;
import org.mwan4.runtime.DaemonControl;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The real daemon ({@link Daemon}) running in this JVM with every edge opened inside one network namespace, as
 * {@code mwan4 run --netns NAME} does: rtnetlink monitor as the event source, libnftables + rtnetlink as the
 * kernel, the probe engine for the trackers, ctnetlink for flush_conntrack. No event log, status file, ruleset
 * files or hooks: the demo and the end-to-end tests look at traffic, not files.
 *
 * <p>Wiring note for the lead: this duplicates the few lines of source/edge wiring that {@code mwan4 run} needs;
 * once the runtime offers a factory for it, this class should call that instead.
 */
public final class InProcessDaemon implements DemoDaemon {
    /** Config path shown in the daemon's messages (the text comes from memory). */
    public static final String CONFIG_PATH = "/etc/config/mwan4";

    private final String netns;
    private final List<AutoCloseable> edges = new ArrayList<>();
    private final List<Consumer<DaemonNews>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, TrackerStatus> last = new TreeMap<>();
    private final boolean keepRules;
    private Daemon daemon;
    private DaemonControl control;
    private Disposable subscription;
    private LinuxKernel kernel;
    private volatile boolean closed;

    private InProcessDaemon(String netns, boolean keepRules) {
        this.netns = netns;
        this.keepRules = keepRules;
    }

    /**
     * Starts the daemon in {@code netns} with a config text; returns at once (trackers and the first kernel step
     * follow within milliseconds).
     *
     * @param keepRules leave the rules in place on {@link #close()} ({@code --keep})
     * @throws KernelException when nftables, rtnetlink or the probe sockets cannot be opened there (nothing
     *                         keeps running then)
     */
    public static InProcessDaemon start(String netns, String configText, boolean keepRules) {
        InProcessDaemon d = new InProcessDaemon(netns, keepRules);
        try {
            d.open(configText);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void open(String configText) {
        Brain brain = new Brain(Reducer.standard()::apply, Planner::plan, Diff::diff, NftRender::summary);
        Daemon[] self = new Daemon[1];
        kernel = LinuxKernel.open(netns, NftRender::script, () -> tables(self[0]));
        edges.add(kernel);
        NetnsThread ctThread = NetnsThread.enter(netns);
        edges.add(ctThread);
        Conntrack conntrack = Conntrack.open(ctThread);
        edges.add(conntrack);
        Sinks.Many<Event> netlink = Sinks.many().unicast().onBackpressureBuffer();
        ProbeEngine probes = ProbeEngine.start(netns, InstantSource.system(), e -> submit(self[0], e));
        edges.add(probes);
        daemon = Daemon.builder()
                .brain(brain)
                .kernel(kernel)
                .source(netlink.asFlux())
                .awaitNetlink(true)
                .keepRules(keepRules)
                .trackers(probes::apply)
                .conntrack(conntrack::deleteMarked)
                .build();
        self[0] = daemon;
        control = new DaemonControl(daemon, null, List::of, Schedulers.boundedElastic());
        subscription = control.events().subscribe(this::onDaemonEvent);
        daemon.start();
        daemon.submit(new Event.ConfigLoaded(daemon.now(), CONFIG_PATH, configText, null, null));
        NetnsThread monitorThread = NetnsThread.enter(netns);
        edges.add(monitorThread);
        edges.add(RtnetlinkMonitor.start(monitorThread, Clock.systemUTC(), RtnetlinkMonitor.DEFAULT_RECEIVE_BUFFER,
                new RtnetlinkMonitor.Listener() {
                    @Override
                    public void onEvent(Event event) {
                        if (event instanceof Event.LinkChanged l && !listeners.isEmpty()) {
                            tell(new DaemonNews.LinkSeen(l.at(), l.name(), l.carrier(), System.nanoTime()));
                        }
                        netlink.tryEmitNext(event); // only the monitor thread emits
                    }

                    @Override
                    public void onFailure(KernelException error) {
                        System.err.println("mwan4 demo: the rtnetlink monitor in " + netns + " stopped: " + error.getMessage()
                                + "; link changes are no longer seen");
                    }
                }));
    }

    private static void submit(Daemon d, Event e) {
        if (d != null) {
            d.submit(e);
        }
    }

    /** The routing tables of the configured interfaces (their ids), read back besides those our rules name. */
    private static List<Integer> tables(Daemon d) {
        State s = d == null ? null : d.state();
        if (s == null || s.config() == null) {
            return List.of();
        }
        return s.config().interfaces().stream().map(Interface::id).toList();
    }

    private void onDaemonEvent(DaemonEvent e) {
        switch (e) {
            case DaemonEvent.StatusChanged s -> statusChanged(s);
            case DaemonEvent.TransactionApplied t -> {
                if (!t.ops().isEmpty()) {
                    tell(new DaemonNews.Applied(t.at(), t.took(), t.ops().size()));
                }
            }
            case DaemonEvent.TransactionFailed f -> System.err.println("mwan4 demo: kernel step failed: " + f.message());
            case DaemonEvent.Logged l -> { }
        }
    }

    /** Turns whole snapshots into per-tracker changes (the stream publishes one snapshot per status-changing event). */
    private void statusChanged(DaemonEvent.StatusChanged s) {
        List<DaemonNews> out = new ArrayList<>();
        synchronized (last) {
            for (StatusSnapshot.InterfaceStatus i : s.status().interfaces()) {
                for (StatusSnapshot.FamilyStatus f : i.families()) {
                    String key = i.name() + "/" + f.family().id();
                    TrackerStatus before = last.getOrDefault(key, TrackerStatus.UNKNOWN);
                    if (before != f.status()) {
                        out.add(new DaemonNews.StatusChanged(s.at(), i.name(), f.family(), before, f.status()));
                        last.put(key, f.status());
                    }
                }
            }
        }
        out.forEach(this::tell);
    }

    private void tell(DaemonNews n) {
        listeners.forEach(l -> l.accept(n));
    }

    @Override
    public StatusSnapshot status() {
        return control == null ? new StatusSnapshot(List.of()) : control.status();
    }

    @Override
    public void watch(Consumer<DaemonNews> listener) {
        listeners.add(listener);
    }

    /** The status of one tracker now. */
    public TrackerStatus status(String iface, Family family) {
        return status().iface(iface).flatMap(i -> i.families().stream().filter(f -> f.family() == family).findFirst())
                .map(StatusSnapshot.FamilyStatus::status).orElse(TrackerStatus.UNKNOWN);
    }

    /** The daemon's state after the last reduced event. */
    public State state() {
        return daemon.state();
    }

    /** When the daemon's loop thinks it is. */
    public Instant now() {
        return daemon.now();
    }

    @Override
    public String describe() {
        return kernel == null ? "not started" : kernel.describe();
    }

    /**
     * Stops the loop (trackers stop, our kernel objects are removed unless kept), then closes the edges.
     * Waits at most 3 s for the removal.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (daemon != null) {
            try {
                daemon.stop(Duration.ofMillis(500)).block(Duration.ofSeconds(3));
            } catch (RuntimeException e) {
                System.err.println("mwan4 demo: the daemon in " + netns + " did not stop cleanly: " + e.getMessage());
            }
            daemon.close();
        }
        if (subscription != null) {
            subscription.dispose();
        }
        for (AutoCloseable c : edges.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("mwan4 demo: closing " + c.getClass().getSimpleName() + " failed: " + e.getMessage());
            }
        }
    }
}
