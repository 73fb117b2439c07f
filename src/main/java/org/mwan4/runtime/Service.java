package org.mwan4.runtime;

import java.time.InstantSource;
import org.mwan4.probe.ProbeEngine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Interface;
import org.mwan4.core.Event;
import org.mwan4.core.State;
import org.mwan4.kernel.Kernel;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.LinuxKernel;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.RecordingKernel;
import org.mwan4.kernel.conntrack.Conntrack;
import org.mwan4.kernel.netlink.RtnetlinkMonitor;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.NftText;
import org.mwan4.plan.RulesetFiles;
import org.mwan4.runtime.eventlog.EventEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * {@code mwan4 run} as an object: wires the real edges (rtnetlink monitor, nft monitor, kernel, conntrack, probe
 * engine, hooks, files) around a {@link Daemon}, starts it, and stops it in order. Tests start it in-process
 * against a lab namespace; {@code RunCommand} adds signal handling and blocks.
 */
public final class Service implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Service.class);
    /** How long shutdown hooks may run before the process exits anyway (the whole stop stays under a second). */
    static final Duration HOOK_GRACE = Duration.ofMillis(400);

    private final Daemon daemon;
    private final DaemonControl control;
    private final List<AutoCloseable> closeLast;
    private final String kernelDescription;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Removed by {@link #stop} with the rules (null: none, in a dry run); kept by --keep-rules and by a bare close. */
    private final UseCgroupDirs useCgroups;

    private Service(Daemon daemon, DaemonControl control, List<AutoCloseable> closeLast, String kernelDescription,
                    UseCgroupDirs useCgroups) {
        this.daemon = daemon;
        this.control = control;
        this.closeLast = closeLast;
        this.kernelDescription = kernelDescription;
        this.useCgroups = useCgroups;
    }

    /**
     * Reads and checks the config, opens the kernel side and starts the loop. The first step reconciles: it reads
     * what the kernel holds and applies only the difference (nothing is flushed).
     *
     * @throws ConfigException when the config is invalid (nothing was started)
     * @throws IOException     when the config cannot be read or the event log cannot be opened
     * @throws KernelException when the kernel side cannot be opened
     */
    public static Service start(ServiceOptions o) throws ConfigException, IOException {
        return start(o, Listeners.NONE);
    }

    /**
     * What an in-process embedder (the demo, the end-to-end tests) hears from the very start: each rtnetlink event
     * as the monitor thread receives it (before the loop sees it), and every daemon event from the first on
     * ({@link ControlPlane#events()} is hot: a subscriber added after {@link #start} may miss the first steps).
     * Both are called on the daemon's threads and must return fast.
     */
    public record Listeners(Consumer<Event> netlink, Consumer<ControlPlane.DaemonEvent> events) {
        public static final Listeners NONE = new Listeners(e -> { }, e -> { });
    }

    /** {@link #start(ServiceOptions)} with {@code listeners} subscribed before the loop starts. */
    public static Service start(ServiceOptions o, Listeners listeners) throws ConfigException, IOException {
        ConfigSource source = new ConfigSource(o.config(), o.network());
        Event.ConfigLoaded first = source.read(java.time.Instant.now());
        org.mwan4.config.Config firstConfig = ConfigLoader.load(first.path(), first.text(), first.networkPath(),
                first.networkText()); // refuse to start on errors

        List<AutoCloseable> resources = new ArrayList<>();
        AtomicReference<Daemon> self = new AtomicReference<>();
        try {
            NetnsThread ns = o.netns() == null ? NetnsThread.host() : NetnsThread.enter(o.netns());
            resources.add(ns);
            Kernel kernel = o.dryRun() ? new RecordingKernel()
                    : LinuxKernel.open(o.netns(), NftRender::script, () -> tables(self.get()));
            resources.add(kernel);
            DaemonBuilder b = Daemon.builder().brain(Brain.standard()).kernel(kernel).tick(o.tick()).awaitNetlink(true)
                    .keepRules(o.keepRules()).hook(o.hookPath(), o.hookTimeout())
                    .journal(new RotatingEventLog(o.eventLogPath(), o.eventLogBytes(), o.eventLogFiles(), new EventEncoder()::encode))
                    .source(netlink(ns, listeners.netlink(), c -> ruleRemoved(self.get(), c),
                            d -> routeDeleted(self.get(), kernel instanceof LinuxKernel l ? l.rtnetlinkPortId() : 0, d)));
            if (o.dryRun()) {
                b.onKernelStep(step -> printDryRun(o, step));
            } else {
                b.statusFile(new StatusFile(o.statusPath()))
                        .rulesetFiles(new RulesetPostFiles(o.rulesetDir(), d -> RulesetFiles.render(d, BundledTemplates.load())));
                Conntrack ct = Conntrack.open(ns);
                resources.add(ct);
                b.conntrack(ct::deleteMarked);
            }
            // trackers: probes leave through each WAN's device with the default mark; rounds come back as events
            ProbeEngine probes = ProbeEngine.start(o.netns(), InstantSource.system(), r -> self.get().submit(r));
            resources.add(probes);
            b.trackers(probes::apply);
            Daemon daemon = b.build();
            self.set(daemon);
            if (listeners != Listeners.NONE) {
                resources.add(daemon.events().subscribe(listeners.events())::dispose);
            }
            daemon.submit(first); // event 1: the config, before any fact
            // mwan4 use: the cgroup directories exist before the plan names them; removed at close, after the last step
            UseCgroupDirs use = o.dryRun() ? null : UseCgroupDirs.system(o.netns());
            if (use != null) {
                daemon.submit(use.prepare(firstConfig, daemon.now()));
            }
            daemon.start();
            if (kernel instanceof LinuxKernel linux) {
                resources.add(linux.watchRemovals(names -> daemon.submit(new Event.ChainsMissing(daemon.now(), names))));
            }
            DaemonControl control = new DaemonControl(daemon, source, counters(kernel),
                    kernel instanceof LinuxKernel linux ? linux::dump : null, Schedulers.boundedElastic(), use);
            LOG.info("mwan4 running: config {}, event log {}, {}", o.config(), o.eventLogPath(),
                    o.dryRun() ? "dry run (nothing is applied)" : "kernel " + kernel.describe());
            return new Service(daemon, control, resources, kernel.describe(), o.keepRules() ? null : use);
        } catch (RuntimeException | IOException e) {
            closeAll(resources);
            throw e;
        }
    }

    /** Reads the counters of the user-rule chains ({@code mwan4 rules}); nothing in a dry run. */
    private static java.util.function.Supplier<List<ControlPlane.RuleCounter>> counters(Kernel kernel) {
        if (!(kernel instanceof LinuxKernel linux)) {
            return List::of;
        }
        List<String> chains = java.util.Arrays.stream(org.mwan4.config.Family.values()).map(NftText::rulesChain).toList();
        return () -> linux.counters(chains).stream()
                .map(c -> new ControlPlane.RuleCounter(c.chain(), c.rule(), c.comment(), c.packets(), c.bytes())).toList();
    }

    /** The routing tables of the configured interfaces (their ids), for the kernel read-back. */
    private static List<Integer> tables(Daemon d) {
        State s = d == null ? null : d.state();
        if (s == null || s.config() == null) {
            return List.of();
        }
        return s.config().interfaces().stream().map(Interface::id).toList();
    }

    /** Links, addresses and routes of the namespace: one snapshot, then every change (own thread). */
    private static Flux<Event> netlink(NetnsThread ns, Consumer<Event> heard, Consumer<RtnetlinkMonitor.RuleChange> rules,
                                       Consumer<RtnetlinkMonitor.RouteDeletion> routes) {
        return Flux.create(sink -> {
            RtnetlinkMonitor m = RtnetlinkMonitor.start(ns, Clock.systemUTC(), RtnetlinkMonitor.DEFAULT_RECEIVE_BUFFER,
                    new RtnetlinkMonitor.Listener() {
                        @Override
                        public void onEvent(Event event) {
                            heard.accept(event);
                            sink.next(event);
                        }

                        @Override
                        public void onRule(RtnetlinkMonitor.RuleChange change) {
                            rules.accept(change);
                        }

                        @Override
                        public void onRouteDeleted(RtnetlinkMonitor.RouteDeletion deletion) {
                            routes.accept(deletion);
                        }

                        @Override
                        public void onFailure(KernelException error) {
                            LOG.error("rtnetlink monitor stopped: {}; link and route changes are no longer seen until mwan4"
                                    + " restarts", error.getMessage());
                        }
                    });
            sink.onDispose(m::close);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /**
     * Someone else deleted an ip rule the last step left in the kernel ({@code ip rule flush}, another tool): the
     * daemon re-reads the kernel and puts it back at once, as it does for missing chains. Our own deletions never
     * count: a step changes what the kernel has only after its ops are acknowledged, and {@code kernelHas} waits for
     * a running step.
     */
    private static void ruleRemoved(Daemon d, RtnetlinkMonitor.RuleChange c) {
        if (d == null || c.added()) {
            return;
        }
        org.mwan4.plan.Desired has = d.kernelHas();
        if (has != null && has.ipRules().contains(c.rule())) {
            d.submit(new Event.ChainsMissing(d.now(), List.of("ip rule " + c.rule().priority() + " (" + c.rule().family().id() + ")")));
        }
    }

    /**
     * Someone else ({@code ip route del/flush ... table N}; not the kernel, not us) deleted a route in one of our
     * tables: the daemon re-reads the kernel and puts back what its plan has there. The kernel's own clean-up after
     * a link goes down carries no sender and is part of the plan already.
     */
    private static void routeDeleted(Daemon d, int ours, RtnetlinkMonitor.RouteDeletion r) {
        if (d == null || r.senderPid() == ours || !tables(d).contains(r.table())) {
            return;
        }
        d.submit(new Event.ChainsMissing(d.now(), List.of("ip route " + r.destination() + " table " + r.table())));
    }

    private static void printDryRun(ServiceOptions o, KernelStepper.Outcome step) {
        switch (step) {
            case KernelStepper.Outcome.Applied a -> {
                if (a.ops().isEmpty()) {
                    return;
                }
                synchronized (o.out()) {
                    o.out().println("# step for events up to " + a.throughSeq() + ": " + a.ops().size() + " ops (dry run)");
                    o.out().print(NftRender.script(a.ops()).text());
                    a.ops().stream().filter(op -> !LinuxKernel.isNft(op)).forEach(op -> o.out().println(NftRender.summary(op)));
                    o.out().flush();
                }
            }
            case KernelStepper.Outcome.Failed f -> o.out().println("# step failed: " + f.message());
        }
    }

    public Daemon daemon() {
        return daemon;
    }

    public ControlPlane control() {
        return control;
    }

    /** One line on how the daemon reaches the kernel (libnftables or the nft fallback, the namespace). */
    public String describe() {
        return kernelDescription;
    }

    /** SIGHUP: re-read the config (an invalid one is rejected with every error logged). */
    public void reload() {
        control.reload().subscribe(r -> {
            if (!r.ok()) {
                LOG.error(r.message());
            }
        }, e -> LOG.error("reload failed: {}", e.toString()));
    }

    /**
     * SIGTERM: trackers stop, hooks fire with MWAN4_SHUTDOWN=1, our objects are removed (unless --keep-rules),
     * then everything is closed. Waits at most {@code limit}.
     */
    public boolean stop(Duration limit) {
        long t0 = System.nanoTime();
        boolean done;
        try {
            done = daemon.stop(HOOK_GRACE).timeout(limit).onErrorResume(e -> reactor.core.publisher.Mono.empty())
                    .then(reactor.core.publisher.Mono.just(true)).blockOptional().orElse(false);
            if (done && useCgroups != null) {
                useCgroups.close(); // after the step that removed the rules naming them
            }
        } finally {
            close();
        }
        LOG.info("mwan4 stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return done;
    }

    /** Blocks until {@link #stop} or {@link #close} ran. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        daemon.close();
        closeAll(closeLast);
        stopped.countDown();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
