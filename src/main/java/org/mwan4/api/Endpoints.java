package org.mwan4.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mwan4.api.view.CommandView;
import org.mwan4.api.view.DesiredView;
import org.mwan4.api.view.DiagnosticView;
import org.mwan4.api.view.InterfaceView;
import org.mwan4.api.view.InternalView;
import org.mwan4.api.view.ListViews;
import org.mwan4.api.view.PlanView;
import org.mwan4.api.view.RuleView;
import org.mwan4.api.view.StatusView;
import org.mwan4.api.view.StrategyView;
import org.mwan4.api.view.UseView;
import org.mwan4.config.Diagnostic;
import org.mwan4.config.Family;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.UseCgroups;
import org.mwan4.plan.Desired;
import org.mwan4.runtime.ControlPlane;
import reactor.core.publisher.Mono;

/** Answers of the non-streaming endpoints, from the {@link ControlPlane}; never throws into the server. */
final class Endpoints {
    /** How long a /v1/rules answer waits for the kernel's counters. */
    static final Duration COUNTERS_TIMEOUT = Duration.ofSeconds(5);

    private final ControlPlane daemon;
    private final Json json;
    private final Clock clock;

    Endpoints(ControlPlane daemon, Json json, Clock clock) {
        this.daemon = daemon;
        this.json = json;
        this.clock = clock;
    }

    /** The answer to a request for {@code e} ({@link Endpoint.Events} is streamed elsewhere). */
    Mono<Reply> serve(Endpoint e, String body) {
        return switch (e) {
            case Endpoint.Status s -> counters().onErrorReturn(List.of()).map(rules -> ok(status(rules)));
            case Endpoint.Interfaces i -> Mono.fromSupplier(() -> {
                Instant at = clock.instant();
                return ok(new ListViews.Interfaces(at.toString(), interfaces(at)));
            });
            case Endpoint.InterfaceOne one -> Mono.fromSupplier(() -> one(one.name()));
            case Endpoint.IfUpDown c -> command(c);
            case Endpoint.InterfaceUse u -> Mono.fromSupplier(() -> use(u.name()));
            case Endpoint.Strategies s -> Mono.fromSupplier(() -> ok(new ListViews.Strategies(strategies(daemon.status()))));
            case Endpoint.Rules r -> counters().map(rules -> ok(new ListViews.Rules(rules)))
                    .onErrorResume(x -> Mono.just(Reply.error(json, 503, "cannot read the rule counters from the kernel: "
                            + message(x), null)));
            case Endpoint.Connected c -> Mono.fromSupplier(() -> ok(Networks.of(daemon.desired().orElse(Desired.empty()))));
            case Endpoint.DesiredState d -> Mono.fromSupplier(() -> daemon.desired()
                    .map(x -> ok(DesiredView.of(x)))
                    .orElseGet(() -> Reply.error(json, 503, "the daemon has not planned anything yet (no config loaded?)", null)));
            case Endpoint.Reload r -> daemon.reload().map(res -> Reply.json(res.ok() ? 200 : 422, json.write(command(res))));
            case Endpoint.Plan p -> plan(body);
            case Endpoint.Metrics m -> Mono.fromSupplier(() -> new Reply(200, PrometheusText.CONTENT_TYPE,
                    PrometheusText.render(daemon.status(), daemon.metrics()), List.of()));
            case Endpoint.Internal in -> internal(in);
            case Endpoint.Events ev -> Mono.just(Reply.error(json, 500, "events are streamed, not answered", null));
        };
    }

    StatusView status(List<RuleView> rules) {
        StatusSnapshot s = daemon.status();
        Desired d = daemon.desired().orElse(Desired.empty());
        Instant at = clock.instant();
        return new StatusView(at.toString(), InterfaceViews.of(s, daemon.desired(), at), strategies(s), Networks.of(d), rules);
    }

    List<InterfaceView> interfaces(Instant at) {
        return InterfaceViews.of(daemon.status(), daemon.desired(), at);
    }

    List<StrategyView> strategies(StatusSnapshot s) {
        return daemon.config().map(c -> StrategyShares.of(c, s)).orElse(List.of());
    }

    Instant now() {
        return clock.instant();
    }

    private Reply one(String name) {
        StatusSnapshot s = daemon.status();
        Optional<StatusSnapshot.InterfaceStatus> i = s.iface(name);
        if (i.isEmpty()) {
            return unknown(s, name);
        }
        Instant at = clock.instant();
        return ok(new ListViews.One(at.toString(), InterfaceViews.of(i.get(), daemon.desired(), at)));
    }

    /** 200 with the cgroup; 404 unknown interface; 409 when {@code mwan4 use} cannot put a command there, and why. */
    private Reply use(String name) {
        StatusSnapshot s = daemon.status();
        Optional<StatusSnapshot.InterfaceStatus> i = s.iface(name);
        if (i.isEmpty()) {
            return unknown(s, name);
        }
        UseCgroups u = daemon.useCgroups();
        if (u.ready(name)) {
            return ok(new UseView(name, u.directoryOf(name), "0x" + Integer.toHexString(i.get().mark()), u.nftMatch(name)));
        }
        String why = !u.problem().isEmpty() ? u.problem()
                : !i.get().enabled() ? "interface '" + name + "' is disabled in the config"
                : i.get().mark() == 0 ? "interface '" + name + "' has no mark (its id does not fit mmx_mask)"
                : "the daemon has no cgroup for '" + name + "' (see its log)";
        return Reply.error(json, 409, "cannot run commands through " + name + ": " + why, "name");
    }

    private Mono<Reply> command(Endpoint.IfUpDown c) {
        StatusSnapshot s = daemon.status();
        if (s.iface(c.name()).isEmpty()) {
            return Mono.just(unknown(s, c.name()));
        }
        Mono<ControlPlane.CommandResult> result = c.up() ? daemon.ifup(c.name()) : daemon.ifdown(c.name());
        return result.map(r -> Reply.json(r.ok() ? 200 : 409, json.write(command(r))));
    }

    private Mono<Reply> plan(String body) {
        if (body.isBlank()) {
            return Mono.just(Reply.error(json, 400, "the request body must be the config text to plan (it is empty)", "body"));
        }
        return daemon.plan("request", body).map(p -> ok(new PlanView(p.valid(), diagnostics(p.errors()),
                diagnostics(p.warnings()), p.ops())));
    }

    /** {@code GET /v1/internal}: family defaults to ipv4 (as {@code mwan3 internal}), format to json. */
    private Mono<Reply> internal(Endpoint.Internal in) {
        String fam = in.family() == null ? "ipv4" : in.family();
        Optional<Family> family = Family.parse(fam);
        if (family.isEmpty()) {
            return Mono.just(Reply.error(json, 400, "family must be ipv4 or ipv6, not '" + fam + "'", "family"));
        }
        String format = in.format() == null ? "json" : in.format();
        if (!format.equals("json") && !format.equals("text")) {
            return Mono.just(Reply.error(json, 400, "format must be json or text, not '" + format + "'", "format"));
        }
        return daemon.internal(family.get()).timeout(COUNTERS_TIMEOUT)
                .map(d -> {
                    InternalView v = InternalView.of(now().toString(), d);
                    return format.equals("text") ? new Reply(200, "text/plain; charset=utf-8", InternalText.render(v), List.of())
                            : ok(v);
                })
                .onErrorResume(x -> Mono.just(Reply.error(json, 503, "cannot read the kernel for " + fam + ": "
                        + message(x), null)));
    }

    private Reply unknown(StatusSnapshot s, String name) {
        List<String> known = s.interfaces().stream().map(StatusSnapshot.InterfaceStatus::name).toList();
        return Reply.error(json, 404, "unknown interface '" + name + "'" + (known.isEmpty() ? " (none configured)"
                : "; known: " + String.join(", ", known)), "name", known);
    }

    private Mono<List<RuleView>> counters() {
        return daemon.ruleCounters().timeout(COUNTERS_TIMEOUT).map(list -> list.stream().map(c -> new RuleView(c.chain(),
                family(c.chain()), c.comment() == null ? "" : c.comment(), c.rule(), c.packets(), c.bytes())).toList());
    }

    private static String family(String chain) {
        return chain.endsWith("_ipv4") ? "ipv4" : chain.endsWith("_ipv6") ? "ipv6" : "";
    }

    private CommandView command(ControlPlane.CommandResult r) {
        return new CommandView(r.ok(), r.message(), diagnostics(r.errors()));
    }

    static List<DiagnosticView> diagnostics(List<Diagnostic> ds) {
        return ds.stream().map(d -> new DiagnosticView(d.severity().name().toLowerCase(java.util.Locale.ROOT),
                d.position().file(), d.position().line(), d.position().column(), d.subject(), d.option(), d.message(),
                d.toString())).toList();
    }

    private Reply ok(Object view) {
        return Reply.json(200, json.write(view));
    }

    static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
