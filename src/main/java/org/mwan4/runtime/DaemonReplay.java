package org.mwan4.runtime;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Next;
import org.mwan4.core.State;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;

/**
 * Replays a log the daemon recorded: every event through the same reducer, and at every
 * {@link Event.KernelStepApplied} the same diff the daemon made there, against the same base (the previous
 * step's plan, or the read-back the marker carries). So the states and the kernel ops come out exactly as the
 * daemon had them, although the daemon coalesced bursts.
 */
public final class DaemonReplay {
    private DaemonReplay() {}

    /** One reduced event. */
    public record Step(long seq, Event event, State state, List<org.mwan4.core.Effect> effects) {}

    /** One kernel step: the ops the daemon applied for the events up to {@code throughSeq}. */
    public record KernelStep(long markerSeq, long throughSeq, boolean readBack, List<Op> ops) {
        public KernelStep {
            ops = List.copyOf(ops);
        }
    }

    public record Result(List<Step> steps, List<KernelStep> kernelSteps) {
        public Result {
            steps = List.copyOf(steps);
            kernelSteps = List.copyOf(kernelSteps);
        }

        /** The state after the last event (the initial state for an empty log). */
        public State last() {
            return steps.isEmpty() ? State.initial() : steps.getLast().state();
        }
    }

    /**
     * @throws IllegalArgumentException when a marker names an event the log does not have before it, or its
     *                                  read-back does not read
     */
    public static Result run(Brain brain, List<LoggedEvent> events) {
        List<Step> steps = new ArrayList<>(events.size());
        List<KernelStep> kernel = new ArrayList<>();
        java.util.Map<Long, State> bySeq = new java.util.HashMap<>();
        State s = State.initial();
        Desired have = Desired.empty();
        for (LoggedEvent le : events) {
            Next next = brain.reduce(s, le.event());
            s = next.state();
            steps.add(new Step(le.seq(), le.event(), s, next.effects()));
            bySeq.put(le.seq(), s);
            if (le.event() instanceof Event.KernelStepApplied m) {
                State at = bySeq.get(m.throughSeq());
                if (at == null) {
                    throw new IllegalArgumentException("event " + le.seq() + ": kernel step through event " + m.throughSeq()
                            + ", which is not in the log before it");
                }
                Desired base = m.readBack() == null ? have : DesiredJson.decode(m.readBack());
                Desired want = brain.plan(at);
                kernel.add(new KernelStep(le.seq(), m.throughSeq(), m.readBack() != null, brain.diff(base, want)));
                have = want;
            }
        }
        return new Result(steps, kernel);
    }
}
