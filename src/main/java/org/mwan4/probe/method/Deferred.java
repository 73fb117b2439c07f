package org.mwan4.probe.method;

import java.util.concurrent.Executor;
import org.mwan4.probe.net.Scheduler.Cancellable;

/** A probe that failed before it left: its listener hears on the next loop turn, unless cancelled first. */
final class Deferred implements Cancellable, Runnable {
    private final ProbeListener listener;
    private final String reason;
    private boolean cancelled;

    private Deferred(ProbeListener listener, String reason) {
        this.listener = listener;
        this.reason = reason;
    }

    static Cancellable failure(Executor loop, ProbeListener listener, String reason) {
        Deferred d = new Deferred(listener, reason);
        loop.execute(d);
        return d;
    }

    @Override
    public void run() {
        if (!cancelled) {
            cancelled = true;
            listener.failed(reason);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }
}
