package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.core.Next;
import org.mwan4.core.State;
import org.mwan4.kernel.RecordingKernel;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftChain;

/**
 * The ruleset-post files follow the kernel step on the io executor: the step returns before they are written, a burst
 * of steps writes only its last plan, and files removed at stop never come back from a write still queued.
 */
class KernelStepperFilesTest {
    @TempDir
    Path dir;

    /** The io executor, run by hand. */
    private final ArrayDeque<Runnable> io = new ArrayDeque<>();

    /** A plan with one chain whose single rule names the state's time, so each state plans differently. */
    private static Desired plan(State s) {
        TreeMap<String, NftChain> chains = new TreeMap<>();
        chains.put("mwan4_x", new NftChain("mwan4_x", null, List.of("comment \"" + s.now().getEpochSecond() + "\"")));
        return new Desired(new TreeMap<>(), chains, new TreeSet<>(), new TreeSet<>());
    }

    private KernelStepper stepper(RecordingKernel kernel, RulesetPostFiles files) {
        Brain brain = new Brain((s, e) -> new Next(s, List.of()), KernelStepperFilesTest::plan, Diff::diff, Object::toString);
        return new KernelStepper(kernel, brain, files, () -> Instant.EPOCH, io::add);
    }

    private RulesetPostFiles files() {
        return new RulesetPostFiles(dir, d -> {
            SequencedMap<String, String> out = new LinkedHashMap<>();
            out.put("10-mwan4-base.nft", d.chains().toString() + "\n");
            return out;
        });
    }

    @Test
    void aStepReturnsBeforeItsFilesAndABurstWritesOnlyTheLastPlan() throws Exception {
        RecordingKernel kernel = new RecordingKernel();
        KernelStepper k = stepper(kernel, files());
        for (int t = 1; t <= 3; t++) {
            assertThat(k.step(new KernelStepper.Work(t, State.initial().at(Instant.ofEpochSecond(t)))))
                    .isInstanceOf(KernelStepper.Outcome.Applied.class);
        }
        Path base = dir.resolve("10-mwan4-base.nft");
        assertThat(kernel.steps()).hasSize(3);
        assertThat(base).as("nothing written on the kernel thread").doesNotExist();
        assertThat(io).as("one queued write for the burst").hasSize(1);
        io.poll().run();
        assertThat(Files.readString(base)).contains("comment \"3\"").doesNotContain("comment \"2\"");
    }

    @Test
    void filesRemovedAtStopStayRemovedWhenAQueuedWriteRunsLate() throws Exception {
        KernelStepper k = stepper(new RecordingKernel(), files());
        k.step(new KernelStepper.Work(1, State.initial().at(Instant.ofEpochSecond(1))));
        io.poll().run();
        k.step(new KernelStepper.Work(2, State.initial().at(Instant.ofEpochSecond(2))));
        assertThat(k.removeAll(3)).isInstanceOf(KernelStepper.Outcome.Applied.class);
        assertThat(dir.resolve("10-mwan4-base.nft")).doesNotExist();
        io.poll().run(); // the write queued by step 2 comes after the stop
        assertThat(dir.resolve("10-mwan4-base.nft")).doesNotExist();
    }
}
