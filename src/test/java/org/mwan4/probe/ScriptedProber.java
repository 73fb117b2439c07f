package org.mwan4.probe;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.IpAddress;
import org.mwan4.probe.method.ProbeListener;
import org.mwan4.probe.method.Prober;
import org.mwan4.probe.net.Scheduler;
import org.mwan4.probe.net.Scheduler.Cancellable;

/** A prober on virtual time whose targets do what the test script says. */
final class ScriptedProber implements Prober {

    /** How a target answers the probe sent at {@code sentAt} (virtual ns): delay in ns, or -1 for never, or -2 to fail at once. */
    @FunctionalInterface
    interface Script {
        long answerAfter(IpAddress target, long sentAt);
    }

    record Sent(IpAddress target, long at) {}

    static final long NEVER = -1;
    static final long REFUSED = -2;

    private final Scheduler scheduler;
    private volatile Script script;
    final List<Sent> sent = new ArrayList<>();
    int outstanding;
    boolean closed;

    ScriptedProber(Scheduler scheduler, Script script) {
        this.scheduler = scheduler;
        this.script = script;
    }

    void script(Script s) {
        script = s;
    }

    @Override
    public Cancellable send(IpAddress target, ProbeListener listener) {
        long now = scheduler.nanoTime();
        sent.add(new Sent(target, now));
        long d = script.answerAfter(target, now);
        Probe p = new Probe();
        outstanding++;
        if (d != NEVER) {
            p.timer = scheduler.at(now + Math.max(0, d), () -> {
                p.cancel();
                if (d == REFUSED) {
                    listener.failed("refused");
                } else {
                    listener.answered(d);
                }
            });
        }
        return p;
    }

    private final class Probe implements Cancellable {
        Cancellable timer;
        boolean done;

        @Override
        public void cancel() {
            if (!done) {
                done = true;
                outstanding--;
                if (timer != null) {
                    timer.cancel();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
