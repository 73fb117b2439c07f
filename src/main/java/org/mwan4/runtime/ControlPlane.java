package org.mwan4.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mwan4.config.Diagnostic;
import org.mwan4.core.StatusSnapshot;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the running daemon offers to the control/status API and the CLI (implemented by the daemon,
 * consumed by {@code org.mwan4.api}). Every call is non-blocking or cheap; none can stall the loop.
 */
public interface ControlPlane {

    /** The latest status (the same data as /var/run/mwan4.json). */
    StatusSnapshot status();

    /**
     * A hot stream of what happens: status changes, kernel transactions, failures. Subscribers that fall
     * behind must not slow the daemon: the daemon side never blocks on a subscriber (the API decides
     * whether to drop or skip a slow client ahead to {@link #status()}).
     */
    Flux<DaemonEvent> events();

    /** {@code mwan4 ifup IFACE}: unknown interface -> {@link CommandResult#ok()} false with the known names in the message. */
    Mono<CommandResult> ifup(String iface);

    /** {@code mwan4 ifdown IFACE}. */
    Mono<CommandResult> ifdown(String iface);

    /** {@code mwan4 reload}: re-read the config files; an invalid config is rejected with every error and nothing changes. */
    Mono<CommandResult> reload();

    /** What a config text would change, without applying anything ({@code POST /v1/plan}, {@code mwan4 plan}). */
    Mono<PlanPreview> plan(String path, String configText);

    /** Packet/byte counters of our rule chains as the kernel has them now (empty in dry-run). */
    Mono<List<RuleCounter>> ruleCounters();

    /**
     * {@code mwan4 internal ipv4|ipv6}: one family's addresses, routes (main and our tables), ip rules and our nft
     * objects as the daemon's namespace has them now, read through its kernel port (nothing forked). Fails with
     * {@link UnsupportedOperationException} where there is no kernel to read (a dry run, a test double).
     */
    default Mono<org.mwan4.plan.KernelDump> internal(org.mwan4.config.Family family) {
        return Mono.error(new UnsupportedOperationException("this daemon has no kernel to show (dry run)"));
    }

    /** Counters and histograms for /metrics. */
    DaemonMetrics metrics();

    /**
     * The config the daemon runs with (empty before the first config loaded). The API derives strategy shares
     * (GET /v1/strategies) and rule names from it. Added by the api branch; the daemon should override it.
     */
    default java.util.Optional<org.mwan4.config.Config> config() {
        return java.util.Optional.empty();
    }

    /**
     * What the daemon planned last: the desired kernel state it applied or is applying (empty before the first
     * plan). The API serves it as GET /v1/desired and takes connected networks from it; {@code mwan4 explain}
     * walks its chains. Added by the api branch; the daemon should override it.
     */
    default java.util.Optional<org.mwan4.plan.Desired> desired() {
        return java.util.Optional.empty();
    }

    /**
     * The cgroups {@code mwan4 use IFACE CMD} runs commands in, as the daemon last prepared them
     * ({@code GET /v1/interfaces/{name}/use}). The daemon should override it.
     */
    default org.mwan4.core.UseCgroups useCgroups() {
        return org.mwan4.core.UseCgroups.NONE;
    }

    sealed interface DaemonEvent {
        long seq();

        Instant at();

        /** The status changed (any interface/family status, score, target). */
        record StatusChanged(long seq, Instant at, StatusSnapshot status) implements DaemonEvent {}

        /** One kernel step was applied: op summaries in order, how long the apply took. */
        record TransactionApplied(long seq, Instant at, List<String> ops, Duration took) implements DaemonEvent {}

        /** A kernel step failed; the daemon re-reads the kernel and re-plans. */
        record TransactionFailed(long seq, Instant at, String message) implements DaemonEvent {}

        /** A log line the operator should see (config rejected, hook failed, ...). */
        record Logged(long seq, Instant at, String level, String message) implements DaemonEvent {}
    }

    /** Outcome of an operator command; {@code errors} carries config diagnostics of a rejected reload. */
    record CommandResult(boolean ok, String message, List<Diagnostic> errors) {
        public CommandResult {
            errors = List.copyOf(errors);
        }

        public static CommandResult ok(String message) {
            return new CommandResult(true, message, List.of());
        }

        public static CommandResult failed(String message) {
            return new CommandResult(false, message, List.of());
        }
    }

    /** The ops a config would cause (rendered as text), or the errors that reject it. */
    record PlanPreview(boolean valid, List<Diagnostic> errors, List<Diagnostic> warnings, List<String> ops) {
        public PlanPreview {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
            ops = List.copyOf(ops);
        }
    }

    /** Counters of one rule of one of our chains ({@code nft list chain inet fw4 mwan4_rules_ipv4}). */
    record RuleCounter(String chain, String rule, String comment, long packets, long bytes) {}

    /**
     * Daemon-wide numbers for Prometheus. {@code applyLatencyBucketsMs} are the upper bounds of the apply-latency
     * histogram and {@code applyLatencyCounts} the cumulative counts per bound (Prometheus {@code le} semantics).
     */
    record DaemonMetrics(long eventsReduced, long transactionsApplied, long transactionsFailed, long eventLogBytes,
                         double applyLatencySumMs, List<Double> applyLatencyBucketsMs, List<Long> applyLatencyCounts,
                         java.util.Map<String, Long> stateChanges) {
        public DaemonMetrics {
            applyLatencyBucketsMs = List.copyOf(applyLatencyBucketsMs);
            applyLatencyCounts = List.copyOf(applyLatencyCounts);
            stateChanges = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(stateChanges));
        }
    }
}
