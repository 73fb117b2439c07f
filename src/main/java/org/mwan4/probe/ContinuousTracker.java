package org.mwan4.probe;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetResult;
import org.mwan4.probe.method.ProbeListener;
import org.mwan4.probe.method.Prober;
import org.mwan4.probe.net.Scheduler;
import org.mwan4.probe.net.Scheduler.Cancellable;

/**
 * Continuous mode (mwan4 extension, like dpinger): one probe per target every {@code interval}
 * (sub-second allowed; {@code count} does not apply), a rolling {@link QualityWindow} per target and a
 * {@link ContinuousVerdict} with hysteresis. Each tick's probes make one round: it ends when all of them
 * are answered or at the tick plus their loss timeout (plus one more loss timeout when it sent a confirmation probe,
 * see {@link #confirm}), and then emits one {@link ProbeRoundFinished}
 * carrying, per target, the verdict and the window's latency, loss and jitter. Rounds are emitted in tick
 * order. A probe still unanswered after {@code timeout} is given up (late answers up to then still count).
 */
final class ContinuousTracker implements TrackerRun {
    /** A probe may be late this long before it counts as lost, however short the round-trip estimate. */
    static final long LOSS_FLOOR_NANOS = 50_000_000L;
    /** An outage needs at most 3 lost probes in a row, so 2 confirmation passes suffice; one spare. */
    static final int MAX_CONFIRM_PASSES = 3;

    private final String iface;
    private final Family family;
    private final Tracking tracking;
    private final List<IpAddress> targets;
    private final Prober prober;
    private final Scheduler scheduler;
    private final Consumer<ProbeRoundFinished> out;
    private final QualityWindow[] windows;
    private final ContinuousVerdict[] verdicts;
    private final ArrayDeque<Probe> outstanding = new ArrayDeque<>();
    private final ArrayDeque<Round> rounds = new ArrayDeque<>();
    private final long timeoutNanos;
    private final RoundClock clock;
    private long seq;
    private boolean stopped;
    private final ProbeFailures failures;

    ContinuousTracker(String iface, Family family, Tracking tracking, Prober prober, Scheduler scheduler,
                      Consumer<ProbeRoundFinished> out, long firstAtNanos, long intervalNanos) {
        this.iface = iface;
        this.family = family;
        this.tracking = tracking;
        this.targets = tracking.targets(family);
        this.prober = prober;
        this.scheduler = scheduler;
        this.out = out;
        this.timeoutNanos = Math.max(1, tracking.timeout().toNanos());
        this.windows = new QualityWindow[targets.size()];
        this.verdicts = new ContinuousVerdict[targets.size()];
        for (int i = 0; i < windows.length; i++) {
            windows[i] = new QualityWindow(Math.max(1, tracking.window()));
            verdicts[i] = ContinuousVerdict.initial();
        }
        this.failures = new ProbeFailures(iface + "/" + family.id());
        this.clock = new RoundClock(scheduler, firstAtNanos, intervalNanos, this::tick);
    }

    @Override
    public void retime(long intervalNanos) {
        if (stopped) {
            return;
        }
        clock.retime(intervalNanos, true);
    }

    @Override
    public void stop() {
        stopped = true;
        clock.cancel();
        for (Round r : rounds) {
            r.timer.cancel();
        }
        rounds.clear();
        for (Probe p : outstanding) {
            p.cancel();
        }
        outstanding.clear();
        prober.close();
    }

    private void tick() {
        if (stopped) {
            return;
        }
        long boundary = clock.started();
        long now = scheduler.nanoTime();
        while (!outstanding.isEmpty() && (outstanding.peek().over || outstanding.peek().sentAt + timeoutNanos - now <= 0)) {
            outstanding.poll().cancel();
        }
        Round round = new Round(targets.size());
        rounds.add(round);
        long maxLossAfter = 0;
        for (int i = 0; i < targets.size(); i++) {
            maxLossAfter = Math.max(maxLossAfter, send(round, i, now));
        }
        round.waitFor(now + maxLossAfter);
        clock.planAfter(boundary);
        drain();
    }

    /** Sends one probe of {@code round} to target {@code i}; returns how long it may stay unanswered. */
    private long send(Round round, int i, long now) {
        long lossAfter = windows[i].lossAfterNanos(Math.min(LOSS_FLOOR_NANOS, timeoutNanos), timeoutNanos);
        long windowSeq = seq++;
        windows[i].sent(windowSeq, now + lossAfter);
        Probe p = new Probe(round, i, windowSeq, now);
        outstanding.add(p);
        try {
            p.handle = prober.send(targets.get(i), p);
        } catch (RuntimeException e) {
            p.failed(e.toString()); // a prober must not throw; if one does, the probe is lost
        }
        return lossAfter;
    }

    private void drain() {
        while (!rounds.isEmpty() && (rounds.peek().due || rounds.peek().remaining == 0)) {
            Round r = rounds.peek();
            if (confirm(r)) {
                return; // the round waits for its confirmation probes
            }
            rounds.poll();
            r.timer.cancel();
            emit();
        }
    }

    /**
     * Before a round goes out: targets whose newest probe is lost get a confirmation probe at once (see
     * {@link ContinuousVerdict#wantsConfirmation}) and the round waits one more loss timeout for them; at most
     * {@link #MAX_CONFIRM_PASSES} times per round. Returns whether any went out.
     */
    private boolean confirm(Round r) {
        if (r.passes >= MAX_CONFIRM_PASSES) {
            return false;
        }
        r.passes++;
        long now = scheduler.nanoTime();
        long maxLossAfter = 0;
        int sent = 0;
        for (int i = 0; i < targets.size(); i++) {
            windows[i].expire(now);
            if (verdicts[i].wantsConfirmation(windows[i].stats(), r.confirmed[i])) {
                r.confirmed[i] = true;
                r.remaining++;
                maxLossAfter = Math.max(maxLossAfter, send(r, i, now));
                sent++;
            }
        }
        if (sent == 0) {
            return false;
        }
        r.timer.cancel();
        r.due = false;
        r.waitFor(now + maxLossAfter);
        return true;
    }

    private void emit() {
        long now = scheduler.nanoTime();
        TargetResult[] results = new TargetResult[targets.size()];
        for (int i = 0; i < results.length; i++) {
            windows[i].expire(now);
            QualityWindow.Stats s = windows[i].stats();
            verdicts[i] = verdicts[i].next(s, tracking, now);
            results[i] = new TargetResult(targets.get(i), verdicts[i].status(), s.meanMs(), s.lossPercent(), s.stddevMs());
        }
        out.accept(new ProbeRoundFinished(scheduler.wallTime(), iface, family, List.of(results)));
    }

    /** The probes of one tick (plus any confirmation probes), and when the round may go out at the latest. */
    private final class Round {
        final boolean[] confirmed;
        int remaining;
        int passes;
        boolean due;
        Cancellable timer;

        Round(int probes) {
            this.remaining = probes;
            this.confirmed = new boolean[probes];
        }

        void waitFor(long deadline) {
            timer = scheduler.at(deadline, () -> {
                due = true;
                drain();
            });
        }
    }

    /** One probe of one tick to one target. */
    private final class Probe implements ProbeListener, Cancellable {
        final Round round;
        final int target;
        final long windowSeq;
        final long sentAt;
        Cancellable handle;
        boolean over;

        Probe(Round round, int target, long windowSeq, long sentAt) {
            this.round = round;
            this.target = target;
            this.windowSeq = windowSeq;
            this.sentAt = sentAt;
        }

        @Override
        public void answered(long rttNanos) {
            if (settle()) {
                failures.answered();
                windows[target].answered(windowSeq, rttNanos);
                drain();
            }
        }

        @Override
        public void failed(String reason) {
                        if (settle()) {
                failures.failed(reason);
                windows[target].lost(windowSeq);
                drain();
            }
        }

        private boolean settle() {
            if (over || stopped) {
                return false;
            }
            over = true;
            round.remaining--;
            return true;
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
