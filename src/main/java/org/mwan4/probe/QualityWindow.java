package org.mwan4.probe;

/**
 * The rolling window of continuous mode for one target (pure, like dpinger's ring of echo requests):
 * the last {@code capacity} probes, each pending, answered (with its round-trip time) or lost.
 * A probe counts as lost once unanswered past its own loss deadline; that is not final: a late
 * answer still replaces it (dpinger does the same), so a slow burst does not pin the loss figure.
 * Also keeps the RFC 6298 round-trip estimator that sets how long a probe may stay unanswered.
 */
public final class QualityWindow {
    private static final byte EMPTY = 0;
    private static final byte PENDING = 1;
    private static final byte ANSWERED = 2;
    private static final byte LOST = 3;

    private final int capacity;
    private final long[] seqs;
    private final long[] lossAt;
    private final long[] rtts;
    private final byte[] states;
    private int next;
    private boolean sampled;
    private double srtt;
    private double rttvar;

    public QualityWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window must hold at least one probe, got " + capacity);
        }
        this.capacity = capacity;
        this.seqs = new long[capacity];
        this.lossAt = new long[capacity];
        this.rtts = new long[capacity];
        this.states = new byte[capacity];
    }

    /**
     * What the window says right now, over the probes that are answered or lost (pending ones do not count).
     *
     * @param completed     answered + lost probes in the window
     * @param lost          lost probes in the window
     * @param meanMs        mean round-trip time of the answered ones (null: none)
     * @param stddevMs      their standard deviation, the jitter dpinger reports (null: fewer than two)
     * @param lossRun       lost probes in a row at the newest end
     * @param lostBeforeRun lost probes older than that run
     */
    public record Stats(int completed, int lost, Double meanMs, Double stddevMs, int lossRun, int lostBeforeRun) {
        /** Lost share of completed probes in whole percent, rounded half up; 0 with no completed probe. */
        public int lossPercent() {
            return completed == 0 ? 0 : (int) Math.round(lost * 100.0 / completed);
        }
    }

    /** Probe {@code seq} (increasing) went out; unanswered at {@code lossAtNanos} it counts as lost. */
    public void sent(long seq, long lossAtNanos) {
        seqs[next] = seq;
        lossAt[next] = lossAtNanos;
        rtts[next] = 0;
        states[next] = PENDING;
        next = (next + 1) % capacity;
    }

    /**
     * Probe {@code seq} was answered after {@code rttNanos}, in time or late. Returns false when the probe
     * already left the window (or was never sent): then nothing changes.
     */
    public boolean answered(long seq, long rttNanos) {
        for (int i = 0; i < capacity; i++) {
            if (states[i] != EMPTY && seqs[i] == seq) {
                if (states[i] != ANSWERED) {
                    states[i] = ANSWERED;
                    rtts[i] = rttNanos;
                    sample(rttNanos);
                }
                return true;
            }
        }
        return false;
    }

    /** Probe {@code seq} is known lost now (the network refused it); a late answer would still replace that. */
    public void lost(long seq) {
        for (int i = 0; i < capacity; i++) {
            if (states[i] == PENDING && seqs[i] == seq) {
                states[i] = LOST;
            }
        }
    }

    /** Marks probes still pending at their loss deadline as lost. */
    public void expire(long nowNanos) {
        for (int i = 0; i < capacity; i++) {
            if (states[i] == PENDING && lossAt[i] - nowNanos <= 0) {
                states[i] = LOST;
            }
        }
    }

    public Stats stats() {
        int completed = 0, lost = 0, answered = 0, run = 0;
        boolean inRun = true;
        double sum = 0, sumSq = 0;
        for (int k = 1; k <= capacity; k++) { // newest first
            int i = Math.floorMod(next - k, capacity);
            byte s = states[i];
            if (s == EMPTY || s == PENDING) {
                continue;
            }
            completed++;
            if (s == LOST) {
                lost++;
                if (inRun) {
                    run++;
                }
            } else {
                inRun = false;
                answered++;
                double ms = rtts[i] / 1e6;
                sum += ms;
                sumSq += ms * ms;
            }
        }
        Double mean = answered == 0 ? null : sum / answered;
        Double stddev = answered < 2 ? null : Math.sqrt(Math.max(0, sumSq / answered - mean * mean));
        return new Stats(completed, lost, mean, stddev, run, lost - run);
    }

    /**
     * How long the next probe may stay unanswered before it counts as lost:
     * max(floor, 2 x SRTT, SRTT + 4 x RTTVAR) as TCP's retransmission timer (RFC 6298), at most {@code ceiling};
     * {@code ceiling} itself before the first answer.
     */
    public long lossAfterNanos(long floorNanos, long ceilingNanos) {
        if (!sampled) {
            return ceilingNanos;
        }
        double rto = Math.max(2 * srtt, srtt + 4 * rttvar);
        return Math.min(ceilingNanos, Math.max(floorNanos, (long) rto));
    }

    private void sample(long rtt) {
        if (!sampled) {
            sampled = true;
            srtt = rtt;
            rttvar = rtt / 2.0;
        } else {
            rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - rtt);
            srtt = 0.875 * srtt + 0.125 * rtt;
        }
    }
}
