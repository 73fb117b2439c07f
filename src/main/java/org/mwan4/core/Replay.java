package org.mwan4.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Folds logged events through the reducer and keeps every step, so a recorded log can be stepped through,
 * diffed against another run, or fed to the planner step by step. Pure: the same log gives equal steps.
 */
public final class Replay {
    private Replay() {}

    /** One reduced event: what came in and what the reducer made of it. */
    public record Step(long seq, Event event, State state, List<Effect> effects) {
        public Step {
            effects = List.copyOf(effects);
        }
    }

    /** Every step from {@link State#initial()} with the production reducer. */
    public static List<Step> run(List<LoggedEvent> events) {
        return run(Reducer.standard(), State.initial(), events);
    }

    /** Every step from {@code start}; {@code until} (inclusive) stops early when given, e.g. {@code --until 42}. */
    public static List<Step> run(Reducer reducer, State start, List<LoggedEvent> events) {
        return run(reducer, start, events, Long.MAX_VALUE);
    }

    public static List<Step> run(Reducer reducer, State start, List<LoggedEvent> events, long until) {
        List<Step> steps = new ArrayList<>(events.size());
        State s = start;
        for (LoggedEvent le : events) {
            if (le.seq() > until) {
                break;
            }
            Next next = reducer.apply(s, le.event());
            steps.add(new Step(le.seq(), le.event(), next.state(), next.effects()));
            s = next.state();
        }
        return steps;
    }

    /** The state after the last step ({@code start} when there is none). */
    public static State last(State start, List<Step> steps) {
        return steps.isEmpty() ? start : steps.getLast().state();
    }
}
