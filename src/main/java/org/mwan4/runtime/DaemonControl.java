package org.mwan4.runtime;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.mwan4.config.Family;
import org.mwan4.plan.KernelDump;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Interface;
import org.mwan4.core.Event;
import org.mwan4.core.Next;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The running daemon as the control API and the CLI see it. Commands become events on the loop; nothing here
 * waits for the loop or the kernel, and blocking work (reading files, listing counters) runs on {@code blocking}.
 */
public final class DaemonControl implements ControlPlane {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonControl.class);

    private final Daemon daemon;
    private final ConfigSource config;
    private final Supplier<List<RuleCounter>> counters;
    private final Function<Family, KernelDump> dump;
    private final Scheduler blocking;
    private final UseCgroupDirs useCgroups;

    /**
     * @param config   where {@link #reload()} reads the config from (null: reload is refused)
     * @param counters reads our rules' counters from the kernel (blocking)
     */
    public DaemonControl(Daemon daemon, ConfigSource config, Supplier<List<RuleCounter>> counters, Scheduler blocking) {
        this(daemon, config, counters, null, blocking, null);
    }

    /**
     * @param dump       reads one family's addresses, routes, rules and our nft objects (blocking; null: none to read)
     * @param useCgroups makes the {@code mwan4 use} cgroups of each reloaded config (null: none are made)
     */
    public DaemonControl(Daemon daemon, ConfigSource config, Supplier<List<RuleCounter>> counters,
                         Function<Family, KernelDump> dump, Scheduler blocking, UseCgroupDirs useCgroups) {
        this.daemon = daemon;
        this.config = config;
        this.counters = counters;
        this.dump = dump;
        this.blocking = blocking;
        this.useCgroups = useCgroups;
    }

    @Override
    public org.mwan4.core.UseCgroups useCgroups() {
        return daemon.state().useCgroups();
    }

    @Override
    public StatusSnapshot status() {
        return StatusSnapshot.of(daemon.state());
    }

    @Override
    public Flux<DaemonEvent> events() {
        return daemon.events();
    }

    @Override
    public Mono<CommandResult> ifup(String iface) {
        return Mono.fromSupplier(() -> command(Event.Command.IFUP, iface));
    }

    @Override
    public Mono<CommandResult> ifdown(String iface) {
        return Mono.fromSupplier(() -> command(Event.Command.IFDOWN, iface));
    }

    private CommandResult command(Event.Command c, String iface) {
        Config cfg = daemon.state().config();
        String verb = c.name().toLowerCase(java.util.Locale.ROOT);
        if (cfg == null) {
            return CommandResult.failed(verb + " " + iface + ": no config is loaded yet");
        }
        if (cfg.iface(iface).isEmpty()) {
            List<String> known = cfg.interfaces().stream().map(Interface::name).toList();
            return CommandResult.failed(verb + " " + iface + ": no interface of that name; configured are " + known);
        }
        daemon.submit(new Event.OperatorCommanded(daemon.now(), c, iface));
        return CommandResult.ok(verb + " " + iface + " queued");
    }

    /** Also what SIGHUP does. */
    @Override
    public Mono<CommandResult> reload() {
        if (config == null) {
            return Mono.just(CommandResult.failed("reload: this daemon was started without a config file to re-read"));
        }
        return Mono.fromCallable(() -> {
            Event.ConfigLoaded e;
            try {
                e = config.read(daemon.now());
            } catch (java.io.IOException x) {
                String msg = "reload: cannot read " + config.config() + ": " + x.getMessage() + "; the running config stays";
                LOG.error(msg);
                return CommandResult.failed(msg);
            }
            daemon.submit(new Event.OperatorCommanded(e.at(), Event.Command.RELOAD, ""));
            // the reducer rejects an invalid config itself (logging every error, changing nothing); the
            // event is logged either way so a replay sees the same rejection
            daemon.submit(e);
            try {
                Config loaded = ConfigLoader.load(e.path(), e.text(), e.networkPath(), e.networkText());
                if (useCgroups != null) {
                    // after the config: the new interfaces' cgroup rules come with the step after their directories exist
                    daemon.submit(useCgroups.prepare(loaded, daemon.now()));
                }
                return CommandResult.ok("reload of " + e.path() + " queued");
            } catch (ConfigException x) {
                return new CommandResult(false, "config " + e.path() + " rejected (" + x.errors().size()
                        + " errors); the running config stays", x.errors());
            }
        }).subscribeOn(blocking);
    }

    @Override
    public Mono<PlanPreview> plan(String path, String configText) {
        return Mono.fromCallable(() -> preview(path, configText)).subscribeOn(blocking);
    }

    /** Reduces a ConfigLoaded on a copy of the state, plans it and diffs it against what the kernel has. */
    PlanPreview preview(String path, String text) {
        Event.ConfigLoaded last = daemon.lastConfig();
        String networkPath = last == null ? ConfigLoader.NETWORK_PATH : last.networkPath();
        String networkText = last == null ? null : last.networkText();
        Config parsed;
        try {
            parsed = ConfigLoader.load(path, text, networkPath, networkText);
        } catch (ConfigException x) {
            return new PlanPreview(false, x.errors(), List.of(), List.of());
        }
        State now = daemon.state();
        Brain brain = daemon.brain();
        Next next = brain.reduce(now, new Event.ConfigLoaded(daemon.now(), path, text, networkPath, networkText));
        Desired have = daemon.kernelHas();
        if (have == null) {
            have = brain.plan(now);
        }
        List<Op> ops = brain.diff(have, brain.plan(next.state()));
        return new PlanPreview(true, List.of(), parsed.warnings(), brain.describe(ops));
    }

    @Override
    public Mono<List<RuleCounter>> ruleCounters() {
        return Mono.fromSupplier(counters).subscribeOn(blocking);
    }

    @Override
    public Mono<KernelDump> internal(Family family) {
        if (dump == null) {
            return ControlPlane.super.internal(family);
        }
        return Mono.fromCallable(() -> dump.apply(family)).subscribeOn(blocking);
    }

    @Override
    public java.util.Optional<Config> config() {
        return daemon.state().configIfLoaded();
    }

    /** What the last kernel step left in the kernel; before the first step, the plan of the current state. */
    @Override
    public java.util.Optional<Desired> desired() {
        State s = daemon.state();
        if (s.config() == null) {
            return java.util.Optional.empty();
        }
        Desired have = daemon.kernelHas();
        return java.util.Optional.of(have != null ? have : daemon.brain().plan(s));
    }

    @Override
    public DaemonMetrics metrics() {
        return daemon.metrics();
    }
}
