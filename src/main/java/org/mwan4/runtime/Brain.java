package org.mwan4.runtime;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.mwan4.core.Event;
import org.mwan4.core.Next;
import org.mwan4.core.Reducer;
import org.mwan4.core.State;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Op;
import org.mwan4.plan.PlanMemo;
import org.mwan4.plan.Planner;

/**
 * The pure middle of mwan4 as the daemon uses it: reduce, plan, diff, and how an op reads in a log line.
 * Bundled so the loop can be tested with small fakes and replays use exactly the daemon's functions.
 *
 * @param reducer  {@code reduce(State, Event) -> Next}
 * @param planner  {@code plan(State) -> Desired}
 * @param differ   {@code diff(have, want) -> ops}
 * @param describe one op as a short line, e.g. {@code replace chain mwan4_strategy_balanced_ipv4}
 */
public record Brain(BiFunction<State, Event, Next> reducer, Function<State, Desired> planner,
                    BiFunction<Desired, Desired, List<Op>> differ, Function<Op, String> describe) {

    /**
     * The production functions: {@link Reducer#standard()}, {@link Planner#plan} through a {@link PlanMemo} (a probe
     * event re-plans only the strategy and sticky chains), {@link Diff#diff}, {@link NftRender#summary}.
     */
    public static Brain standard() {
        return new Brain(Reducer.standard()::apply, memoized(), Diff::diff, NftRender::summary);
    }

    /**
     * {@link Planner#plan} through one {@link PlanMemo}, safe from any thread: the kernel stepper calls it per step,
     * the control API now and then (a preview of another config only costs the next step a full plan; the memo's
     * answer always equals {@code Planner.plan}).
     */
    static Function<State, Desired> memoized() {
        PlanMemo memo = new PlanMemo();
        return state -> {
            synchronized (memo) {
                return memo.plan(state);
            }
        };
    }

    public Next reduce(State state, Event event) {
        return reducer.apply(state, event);
    }

    public Desired plan(State state) {
        return planner.apply(state);
    }

    public List<Op> diff(Desired have, Desired want) {
        return differ.apply(have, want);
    }

    public List<String> describe(List<Op> ops) {
        return ops.stream().map(describe).toList();
    }
}
