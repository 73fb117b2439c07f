package org.mwan4.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Diagnostic;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.plan.Desired;
import org.mwan4.config.Family;
import org.mwan4.runtime.ControlPlane;
import org.mwan4.plan.KernelDump;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A {@link ControlPlane} for API tests: serves {@link ApiFixture}'s data, records commands, and emits events
 * through a sink that never blocks the emitter ({@code directBestEffort}: a subscriber without demand misses
 * the event instead of stalling the emitting thread).
 */
public final class FakeDaemon implements ControlPlane {
    private final Sinks.Many<DaemonEvent> events = Sinks.many().multicast().directBestEffort();
    private volatile StatusSnapshot status = ApiFixture.status();
    private volatile Optional<Config> config = Optional.of(ApiFixture.config());
    private volatile Optional<Desired> desired = Optional.of(ApiFixture.desired());
    private volatile List<RuleCounter> counters = List.of(
            new RuleCounter("mwan4_rules_ipv4", "meta mark & 0x00003f00 == 0x00000000 tcp dport 443 counter jump mwan4_strategy_balanced_ipv4 comment \"https\"",
                    "https", 1234, 567890),
            new RuleCounter("mwan4_rules_ipv4", "meta mark & 0x00003f00 == 0x00000000 ip daddr 0.0.0.0/0 counter jump mwan4_strategy_balanced_ipv4 comment \"default_rule\"",
                    "default_rule", 42, 4200),
            new RuleCounter("mwan4_rules_ipv6", "meta mark & 0x00003f00 == 0x00000000 tcp dport 443 counter jump mwan4_strategy_balanced_ipv6 comment \"https\"",
                    "https", 7, 700));
    public final List<String> commands = Collections.synchronizedList(new ArrayList<>());

    private volatile org.mwan4.core.UseCgroups useCgroups = org.mwan4.core.UseCgroups.NONE;

    public void useCgroups(org.mwan4.core.UseCgroups u) {
        useCgroups = u;
    }

    @Override
    public org.mwan4.core.UseCgroups useCgroups() {
        return useCgroups;
    }

    public void status(StatusSnapshot s) {
        status = s;
    }

    public void desired(Desired d) {
        desired = Optional.of(d);
    }

    public void nothingLoaded() {
        config = Optional.empty();
        desired = Optional.empty();
        status = new StatusSnapshot(List.of());
    }

    /** Emits one event; returns whether the sink took it (it never waits). */
    public Sinks.EmitResult emit(DaemonEvent e) {
        return events.tryEmitNext(e);
    }

    public int subscribers() {
        return events.currentSubscriberCount();
    }

    @Override
    public StatusSnapshot status() {
        return status;
    }

    @Override
    public Flux<DaemonEvent> events() {
        return events.asFlux();
    }

    @Override
    public Mono<CommandResult> ifup(String iface) {
        commands.add("ifup " + iface);
        return Mono.just(CommandResult.ok("interface " + iface + " is being brought up"));
    }

    @Override
    public Mono<CommandResult> ifdown(String iface) {
        commands.add("ifdown " + iface);
        return Mono.just(CommandResult.ok("interface " + iface + " taken down"));
    }

    @Override
    public Mono<CommandResult> reload() {
        commands.add("reload");
        return Mono.just(CommandResult.ok("config reloaded: nothing changed"));
    }

    @Override
    public Mono<PlanPreview> plan(String path, String configText) {
        commands.add("plan " + path);
        try {
            Config c = ConfigLoader.load(path, configText, null);
            List<String> ops = c.interfaces().stream().map(i -> "add chain mwan4_iface_in_" + i.name() + "_ipv4").toList();
            return Mono.just(new PlanPreview(true, List.of(), c.warnings(), ops));
        } catch (ConfigException e) {
            return Mono.just(new PlanPreview(false, e.errors(), List.<Diagnostic>of(), List.of()));
        }
    }

    @Override
    public Mono<List<RuleCounter>> ruleCounters() {
        return Mono.just(counters);
    }

    /** Like a dry-run daemon: no kernel behind /v1/internal. */
    public volatile boolean noKernel;

    @Override
    public Mono<KernelDump> internal(Family family) {
        return noKernel ? ControlPlane.super.internal(family) : Mono.just(ApiFixture.kernelDump(family));
    }

    @Override
    public DaemonMetrics metrics() {
        TreeMap<String, Long> changes = new TreeMap<>();
        changes.put("wan/ipv4", 3L);
        changes.put("wanb/ipv4", 5L);
        return new DaemonMetrics(1500, 12, 1, 65536, 84.5, List.of(1.0, 5.0, 10.0, 50.0), List.of(2L, 9L, 11L, 12L), changes);
    }

    @Override
    public Optional<Config> config() {
        return config;
    }

    @Override
    public Optional<Desired> desired() {
        return desired;
    }

    static Duration took(long ms) {
        return Duration.ofMillis(ms);
    }
}
