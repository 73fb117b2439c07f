package org.mwan4.runtime;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.mwan4.core.Effect;
import org.mwan4.core.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Hands the reducer's effects to their edges, on the loop thread, without ever blocking it: trackers to the
 * probe engine (which queues them), hooks to the {@link HookRunner} (async, per interface), conntrack flushes
 * and status file writes to the {@code io} scheduler, log lines to SLF4J. Status writes are coalesced: while a
 * write is pending only the newest state is kept.
 */
final class EffectEdges {
    /** The reducer's log lines appear under this logger name. */
    static final Logger CORE_LOG = LoggerFactory.getLogger("org.mwan4.core");
    private static final Logger LOG = LoggerFactory.getLogger(EffectEdges.class);

    private final TrackerPort trackers;
    private final HookRunner hooks;
    private final ConntrackPort conntrack;
    private final StatusFile status;
    private final Scheduler io;
    private final BiConsumer<String, String> operatorLog;
    private final AtomicReference<State> pendingStatus = new AtomicReference<>();

    /**
     * @param hooks       null: no user hook
     * @param status      null: no status file
     * @param operatorLog (level, message) of what the operator should see on the daemon's event stream
     */
    EffectEdges(TrackerPort trackers, HookRunner hooks, ConntrackPort conntrack, StatusFile status, Scheduler io,
                BiConsumer<String, String> operatorLog) {
        this.trackers = trackers;
        this.hooks = hooks;
        this.conntrack = conntrack;
        this.status = status;
        this.io = io;
        this.operatorLog = operatorLog;
    }

    void dispatch(State state, List<Effect> effects) {
        for (Effect e : effects) {
            switch (e) {
                case Effect.StartTracker s -> trackers.apply(s);
                case Effect.StopTracker s -> trackers.apply(s);
                case Effect.RetimeTracker r -> trackers.apply(r);
                case Effect.RunHook h -> runHook(h);
                case Effect.FlushConntrack f -> io.schedule(() -> flush(f));
                case Effect.WriteStatus w -> writeStatus(state);
                case Effect.LogLine l -> log(l);
            }
        }
    }

    private void runHook(Effect.RunHook h) {
        if (hooks != null) {
            hooks.submit(h);
        }
    }

    /** Called by the hook runner when a run ended (on a hook thread). */
    void hookEnded(HookRunner.Outcome o) {
        Effect.RunHook h = o.hook();
        String what = "hook " + h.action().id() + " " + h.iface() + " (" + h.family().id() + ")";
        if (o.ok()) {
            LOG.debug("{} ran: {}", what, o.output().strip());
            return;
        }
        String why = o.timedOut() ? o.error() : o.error() != null ? o.error() : "exit code " + o.exitCode();
        String msg = what + " failed: " + why + (o.output().isBlank() ? "" : "; output: " + o.output().strip())
                + "; nothing else depends on it";
        LOG.warn(msg);
        operatorLog.accept("warn", msg);
    }

    private void flush(Effect.FlushConntrack f) {
        try {
            int n = conntrack.flush(f.family(), f.mark(), f.mask());
            LOG.info("flushed {} {} conntrack entries of {} (mark 0x{}/0x{})", n, f.family().id(), f.iface(),
                    Integer.toHexString(f.mark()), Integer.toHexString(f.mask()));
        } catch (RuntimeException x) {
            String msg = "conntrack flush of " + f.iface() + " (" + f.family().id() + ", mark 0x" + Integer.toHexString(f.mark())
                    + ") failed: " + x.getMessage() + "; its old connections stay until they time out";
            LOG.warn(msg);
            operatorLog.accept("warn", msg);
        }
    }

    private void writeStatus(State state) {
        if (status == null) {
            return;
        }
        if (pendingStatus.getAndSet(state) == null) {
            io.schedule(this::writePendingStatus);
        }
    }

    private void writePendingStatus() {
        State s = pendingStatus.getAndSet(null);
        if (s == null) {
            return;
        }
        try {
            status.write(s);
        } catch (java.io.IOException | RuntimeException x) {
            String msg = "cannot write " + status.path() + ": " + x + "; it is rewritten at the next status change";
            LOG.error(msg);
            operatorLog.accept("error", msg);
        }
    }

    private void log(Effect.LogLine l) {
        switch (l.level()) {
            case DEBUG -> CORE_LOG.debug(l.message());
            case INFO -> CORE_LOG.info(l.message());
            case WARN -> {
                CORE_LOG.warn(l.message());
                operatorLog.accept("warn", l.message());
            }
            case ERROR -> {
                CORE_LOG.error(l.message());
                operatorLog.accept("error", l.message());
            }
        }
    }
}
