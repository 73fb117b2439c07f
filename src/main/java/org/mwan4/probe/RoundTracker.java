package org.mwan4.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.core.Event.TargetStatus;
import org.mwan4.probe.method.ProbeListener;
import org.mwan4.probe.method.Prober;
import org.mwan4.probe.net.Scheduler;
import org.mwan4.probe.net.Scheduler.Cancellable;

/**
 * mwan3-style rounds: at each boundary every target gets {@code count} probes (all targets in parallel,
 * where mwan3 went one after another), each waited for up to {@code timeout}. The round ends as soon as
 * {@code reliability} targets are up (the rest are SKIPPED, as in mwan3) or when every target is decided,
 * and then emits one {@link ProbeRoundFinished}.
 *
 * <p>Timing: rounds start at {@link RoundSchedule} boundaries. A retime re-anchors the schedule at the
 * boundary of the latest round, so the next round comes one new interval after the latest one started
 * (mwan3 slept failure_interval after a failed round) and never earlier than now; no drift either way.
 */
final class RoundTracker implements TrackerRun {
    /** Probes of one target go at most this far apart (ping's default), closer when timeout / count is smaller. */
    private static final long MAX_GAP_NANOS = 1_000_000_000L;

    private final String iface;
    private final Family family;
    private final Tracking tracking;
    private final List<IpAddress> targets;
    private final Prober prober;
    private final Scheduler scheduler;
    private final Consumer<ProbeRoundFinished> out;
    private final RoundClock clock;
    private Round current;
    private boolean stopped;
    private final ProbeFailures failures;

    RoundTracker(String iface, Family family, Tracking tracking, Prober prober, Scheduler scheduler,
                 Consumer<ProbeRoundFinished> out, long firstAtNanos, long intervalNanos) {
        this.iface = iface;
        this.family = family;
        this.tracking = tracking;
        this.targets = tracking.targets(family);
        this.prober = prober;
        this.scheduler = scheduler;
        this.out = out;
        this.failures = new ProbeFailures(iface + "/" + family.id());
        this.clock = new RoundClock(scheduler, firstAtNanos, intervalNanos, this::startRound);
    }

    @Override
    public void retime(long intervalNanos) {
        if (stopped) {
            return;
        }
        clock.retime(intervalNanos, current == null); // a running round plans the next one when it ends
    }

    @Override
    public void stop() {
        stopped = true;
        clock.cancel();
        if (current != null) {
            current.abandon();
            current = null;
        }
        prober.close();
    }

    private void startRound() {
        if (stopped) {
            return;
        }
        current = new Round(clock.started());
        current.begin();
    }

    private void finished(Round round, List<TargetResult> results) {
        current = null;
        if (!stopped) {
            clock.planAfter(round.boundary);
        }
        out.accept(new ProbeRoundFinished(scheduler.wallTime(), iface, family, results));
    }

    /**
     * One round: per target, the probes sent so far and how they ended. Probe i of a target goes at
     * {@code i * gap} and counts when answered within {@code timeout}; one deadline timer, at the last probe
     * plus the timeout, settles whatever is still open as lost (no timer per probe).
     */
    private final class Round {
        final long boundary;
        final Target[] state;
        final List<Cancellable> pending = new ArrayList<>();
        final int count = Math.max(1, tracking.count());
        final long timeout = Math.max(1, tracking.timeout().toNanos());
        int ups;
        boolean done;

        Round(long boundary) {
            this.boundary = boundary;
            this.state = new Target[targets.size()];
            for (int i = 0; i < state.length; i++) {
                state[i] = new Target(targets.get(i));
            }
        }

        void begin() {
            if (state.length == 0) {
                finish();
                return;
            }
            long gap = Math.min(MAX_GAP_NANOS, timeout / count);
            long now = scheduler.nanoTime();
            for (Target t : state) {
                send(t);
            }
            for (int i = 1; i < count; i++) {
                pending.add(scheduler.at(now + i * gap, () -> {
                    for (Target t : state) {
                        send(t);
                    }
                }));
            }
            pending.add(scheduler.at(now + (count - 1) * gap + timeout, this::deadline));
        }

        void send(Target t) {
            if (done || t.result != null) {
                return;
            }
            t.sent++;
            Probe p = new Probe(t);
            pending.add(p);
            try {
                p.handle = prober.send(t.address, p);
            } catch (RuntimeException e) {
                p.failed(e.toString()); // a prober must not throw; if one does, the probe is lost, the round goes on
            }
        }

        /** Whatever has not answered by now never counts. */
        void deadline() {
            for (Target t : state) {
                if (t.result == null) {
                    t.resolved = count;
                    decide(t);
                }
            }
            finish();
        }

        void resolved(Target t, boolean answered, long rtt) {
            t.resolved++;
            if (answered) {
                t.answered++;
                t.rttSum += rtt;
            }
            if (t.resolved == count) {
                decide(t);
            }
            boolean allDecided = true;
            for (Target x : state) {
                allDecided &= x.result != null;
            }
            if (ups >= Math.max(1, tracking.reliability()) || allDecided) {
                finish();
            }
        }

        void decide(Target t) {
            if (t.result == null) {
                t.result = RoundVerdict.classify(t.address, t.sent, t.answered, t.rttSum, tracking.quality());
                if (t.result.status() == TargetStatus.UP) {
                    ups++;
                }
            }
        }

        void finish() {
            if (done) {
                return;
            }
            abandon();
            List<TargetResult> results = new ArrayList<>(state.length);
            for (Target t : state) {
                results.add(t.result != null ? t.result : RoundVerdict.skipped(t.address));
            }
            finished(this, results);
        }

        void abandon() {
            done = true;
            for (Cancellable c : pending) {
                c.cancel();
            }
            pending.clear();
        }

        /** One probe: answered in time, failed, or still open at the deadline, whichever comes first, counts. */
        private final class Probe implements ProbeListener, Cancellable {
            final Target target;
            Cancellable handle;
            boolean over;

            Probe(Target target) {
                this.target = target;
            }

            @Override
            public void answered(long rttNanos) {
                if (!over && !done) {
                    failures.answered();
                }
                resolve(rttNanos <= timeout, rttNanos);
            }

            @Override
            public void failed(String reason) {
                if (!over && !done) {
                    failures.failed(reason);
                }
                resolve(false, 0);
            }

            void resolve(boolean answered, long rtt) {
                if (over || done) {
                    return;
                }
                cancel();
                resolved(target, answered, rtt);
            }

            @Override
            public void cancel() {
                over = true;
                if (handle != null) {
                    handle.cancel();
                }
            }
        }
    }

    private static final class Target {
        final IpAddress address;
        int sent;
        int resolved;
        int answered;
        long rttSum;
        TargetResult result;

        Target(IpAddress address) {
            this.address = address;
        }
    }
}
