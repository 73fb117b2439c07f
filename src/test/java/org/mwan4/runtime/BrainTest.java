package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Planner;
import org.mwan4.plan.TestStates;

class BrainTest {

    /** The stepper and the control API share the daemon's planner: from two threads at once it still plans exactly. */
    @Test
    void theMemoizedPlannerAnswersLikePlannerPlanFromTwoThreadsAtOnce() throws Exception {
        Function<State, Desired> planner = Brain.standard().planner();
        List<State> states = new ArrayList<>();
        for (String name : TestStates.SCENARIOS) {
            State s = TestStates.scenario(name);
            states.add(s);
            for (Interface i : s.config().interfaces()) {
                Family f = i.families().isEmpty() ? Family.IPV4 : i.families().getFirst();
                states.add(TestStates.withStatus(s, i.name(), f, TrackerStatus.OFFLINE));
            }
        }
        List<Desired> expected = states.stream().map(Planner::plan).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int offset = t;
                Callable<Boolean> run = () -> {
                    for (int round = 0; round < 20; round++) {
                        for (int k = 0; k < states.size(); k++) {
                            int i = (k * (offset + 1) + round) % states.size(); // the two threads interleave differently
                            if (!planner.apply(states.get(i)).equals(expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                };
                runs.add(pool.submit(run));
            }
            for (Future<Boolean> f : runs) {
                assertThat(f.get()).isTrue();
            }
        }
    }
}
