package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.kernel.Kernel;
import org.mwan4.kernel.KernelException;
import org.mwan4.plan.Apply;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Op;
import org.mwan4.runtime.eventlog.EventEncoder;
import org.mwan4.runtime.eventlog.EventLogReader;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The daemon with the production reducer, planner and diff writes its event log to a file; replaying that file
 * gives the same states and the same kernel ops, byte for byte, although the daemon coalesced a storm, had a
 * step rejected and repaired a wipe in between.
 */
class ReplayFidelityTest {
    @TempDir
    Path dir;

    /** Applies ops with the planner's own model of the kernel; can reject a step or be wiped. */
    static final class ModelKernel implements Kernel {
        Desired holds;
        final List<List<Op>> steps = new ArrayList<>();
        int failNext;

        ModelKernel(Desired initial) {
            holds = initial;
        }

        @Override
        public synchronized void apply(List<Op> ops) {
            if (failNext > 0) {
                failNext--;
                throw new KernelException("nft rejected op 1 of " + ops.size() + " (" + NftRender.summary(ops.getFirst())
                        + "): Device or resource busy");
            }
            holds = Apply.apply(holds, ops);
            steps.add(List.copyOf(ops));
        }

        @Override
        public synchronized Desired read() {
            return holds;
        }

        @Override
        public String describe() {
            return "model";
        }

        @Override
        public void close() {}
    }

    @Test
    void aRecordedRunReplaysToTheSameStatesAndOps() throws Exception {
        Brain brain = Brain.standard();
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        // a restart: the kernel still holds part of an earlier run (the first step must read it back)
        Desired earlier = brain.plan(brain.reduce(brain.reduce(org.mwan4.core.State.initial(),
                TestEvents.config(Instant.EPOCH)).state(), TestEvents.resync(Instant.EPOCH)).state());
        ModelKernel kernel = new ModelKernel(new Desired(earlier.sets(), new java.util.TreeMap<>(), earlier.ipRules(),
                new java.util.TreeSet<>()));
        Path log = dir.resolve("events.jsonl");
        List<Daemon.Step> seen = new CopyOnWriteArrayList<>();
        Daemon daemon = Daemon.builder().brain(brain).kernel(kernel).loop(vts).kernelThread(vts).io(vts).awaitNetlink(true)
                .journal(new RotatingEventLog(log, 1 << 30, 2, new EventEncoder()::encode)).onStep(seen::add).build().start();
        try {
            daemon.submit(TestEvents.config(daemon.now()));
            daemon.submit(TestEvents.resync(daemon.now()));
            vts.advanceTime();
            for (int round = 0; round < 4; round++) {
                vts.advanceTimeBy(Duration.ofSeconds(1));
                daemon.submit(TestEvents.round(daemon.now(), 1, round < 2));
                daemon.submit(TestEvents.round(daemon.now(), 2, true));
            }
            vts.schedule(() -> { // a storm while the loop is busy: coalesced
                for (int i = 0; i < 200; i++) {
                    daemon.submit(TestEvents.link(daemon.now(), 2, i % 2 == 1));
                }
            });
            vts.advanceTime();
            kernel.failNext = 1;
            daemon.submit(TestEvents.command(daemon.now(), Event.Command.IFDOWN, "wan2"));
            vts.advanceTimeBy(Duration.ofSeconds(1));
            kernel.holds = Desired.empty(); // nft flush table inet fw4 + ip rule flush, by someone else
            daemon.submit(new Event.ChainsMissing(daemon.now(), List.of("table inet fw4")));
            vts.advanceTime();
            daemon.submit(TestEvents.config(daemon.now(), TestEvents.configText().replace("option weight '3'", "option weight '5'")));
            vts.advanceTimeBy(Duration.ofSeconds(2));
            daemon.submit(TestEvents.command(daemon.now(), Event.Command.IFUP, "wan2"));
            vts.advanceTime();
        } finally {
            daemon.close();
        }
        assertThat(kernel.holds).as("the kernel ends where the last state says").isEqualTo(brain.plan(daemon.state()));
        assertThat(kernel.steps.size()).as("the storm was coalesced").isLessThan(30);

        EventLogReader.ReadResult read = EventLogReader.readAll(log);
        assertThat(read.error()).isEmpty();
        List<LoggedEvent> events = read.events();
        DaemonReplay.Result replay = DaemonReplay.run(brain, events);

        assertThat(replay.steps()).hasSameSizeAs(seen);
        for (int i = 0; i < seen.size(); i++) {
            Daemon.Step d = seen.get(i);
            DaemonReplay.Step r = replay.steps().get(i);
            assertThat(r.seq()).isEqualTo(d.seq());
            assertThat(r.state().toString()).as("state after event %d", d.seq()).isEqualTo(d.state().toString());
            assertThat(r.effects().toString()).as("effects of event %d", d.seq()).isEqualTo(d.effects().toString());
        }
        List<List<Op>> replayed = replay.kernelSteps().stream().map(DaemonReplay.KernelStep::ops).filter(o -> !o.isEmpty()).toList();
        assertThat(replayed).hasSameSizeAs(kernel.steps);
        for (int i = 0; i < replayed.size(); i++) {
            assertThat(NftRender.script(replayed.get(i)).text()).as("nft script of step %d", i + 1)
                    .isEqualTo(NftRender.script(kernel.steps.get(i)).text());
            assertThat(brain.describe(replayed.get(i))).isEqualTo(brain.describe(kernel.steps.get(i)));
        }
        assertThat(replay.kernelSteps().getFirst().readBack()).as("the restart's first step diffed against the read-back").isTrue();
        assertThat(replay.kernelSteps()).filteredOn(DaemonReplay.KernelStep::readBack).as("start, after the failure, after the wipe")
                .hasSize(3);
    }
}
