package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mwan4.core.Event;
import org.mwan4.core.TrackerStatus;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The loop in virtual time with the real reducer, a small planner and a simulated kernel. */
class DaemonLoopTest {
    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final SimKernel kernel = new SimKernel();
    private final TestEvents.MemoryJournal journal = new TestEvents.MemoryJournal();
    private final List<Daemon.Step> steps = new CopyOnWriteArrayList<>();
    private final Brain brain = FakeBrain.create();
    private Daemon daemon;

    private Daemon start(boolean awaitNetlink) {
        daemon = Daemon.builder().brain(brain).kernel(kernel).journal(journal).loop(vts).kernelThread(vts).io(vts)
                .awaitNetlink(awaitNetlink).onStep(s -> {
                    // the event log has the event before the reducer's result exists
                    assertThat(journal.lastSeq()).as("logged before reduced").isEqualTo(s.seq());
                    steps.add(s);
                }).build().start();
        return daemon;
    }

    private Instant t() {
        return daemon.now();
    }

    @AfterEach
    void close() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void everyEventIsNumberedLoggedAndReducedInOrder() {
        start(true);
        daemon.submit(TestEvents.config(t()));
        daemon.submit(TestEvents.resync(t()));
        daemon.submit(TestEvents.link(t(), 1, false));
        vts.advanceTimeBy(Duration.ofMillis(2500)); // two ticks
        assertThat(journal.lines).extracting(l -> l.event().getClass().getSimpleName()).containsExactly("ConfigLoaded",
                "NetlinkResynced", "KernelStepApplied", "LinkChanged", "KernelStepApplied", "Ticked", "Ticked");
        assertThat(journal.lines).extracting(l -> l.seq()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(steps).extracting(Daemon.Step::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(journal.lines.get(2).event()).as("the first step read the (empty) kernel")
                .isEqualTo(new Event.KernelStepApplied(Instant.EPOCH, 2, DesiredJson.encode(Desired.empty())));
        assertThat(journal.lines.get(4).event()).isEqualTo(new Event.KernelStepApplied(Instant.EPOCH, 4, null));
        assertThat(journal.lines.get(5).event().at()).as("ticks carry the loop's clock").isEqualTo(Instant.ofEpochSecond(1));
    }

    @Test
    void noKernelStepBeforeTheFirstNetlinkSnapshotThenOneForTheBurst() {
        start(true);
        daemon.submit(TestEvents.config(t()));
        vts.advanceTime();
        assertThat(kernel.steps()).as("no facts yet: planning now would remove what a restart should keep").isEmpty();
        daemon.submit(TestEvents.resync(t()));
        vts.advanceTime();
        assertThat(kernel.steps()).hasSize(1);
        assertThat(kernel.holds()).isEqualTo(brain.plan(daemon.state()));
    }

    @Test
    void aFlapStormOfAThousandEventsCoalescesAndEndsInTheFinalState() {
        start(true);
        // the burst arrives while the loop is busy (inside one of its tasks), as a storm does
        vts.schedule(() -> {
            daemon.submit(TestEvents.config(t()));
            daemon.submit(TestEvents.resync(t()));
            for (int i = 0; i < 1000; i++) {
                daemon.submit(TestEvents.link(t(), 1 + i % 2, i % 3 == 0));
            }
        });
        vts.advanceTime();
        List<Event> markers = journal.lines.stream().map(l -> l.event()).filter(e -> e instanceof Event.KernelStepApplied).toList();
        assertThat(journal.lines).hasSize(1002 + markers.size());
        assertThat(kernel.steps().size()).as("transactions for 1002 events").isLessThanOrEqualTo(3).isEqualTo(markers.size());
        assertThat(((Event.KernelStepApplied) markers.getLast()).throughSeq()).as("the last step covered the last event")
                .isEqualTo(1002);
        assertThat(kernel.holds()).as("never a stale end state").isEqualTo(brain.plan(daemon.state()));
    }

    /** Events logged that did not come from the daemon itself (markers). */
    private long inputs() {
        return journal.lines.stream().filter(l -> !(l.event() instanceof Event.KernelStepApplied)).count();
    }

    @Test
    void aStormWithASlowKernelOnRealThreadsStillCoalesces() throws Exception {
        kernel.delay(3);
        daemon = Daemon.builder().brain(brain).kernel(kernel).journal(journal).tick(Duration.ZERO).build().start();
        daemon.submit(TestEvents.config(Instant.EPOCH));
        daemon.submit(TestEvents.resync(Instant.EPOCH));
        for (int i = 0; i < 1000; i++) {
            daemon.submit(TestEvents.link(Instant.EPOCH, 1 + i % 2, i % 7 < 3));
            if (i % 50 == 0) {
                Thread.sleep(1); // a storm arriving over time, not all at once
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(inputs() == 1002 && kernel.holds().equals(brain.plan(daemon.state()))) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(kernel.holds()).isEqualTo(brain.plan(daemon.state()));
        assertThat(kernel.steps().size()).as("transactions for 1002 events").isBetween(1, 200);
    }

    @Test
    void aRejectedStepBecomesAnEventThenTheKernelIsReadAgainAndRepaired() {
        start(false);
        kernel.failNext(1);
        daemon.submit(TestEvents.config(t()));
        vts.advanceTime();
        assertThat(journal.lines).extracting(l -> l.event().getClass().getSimpleName())
                .containsExactly("ConfigLoaded", "KernelApplyFailed", "KernelStepApplied");
        assertThat(((Event.KernelApplyFailed) journal.lines.get(1).event()).message())
                .contains("applying 2 ops for events up to 1 failed", "nft rejected op 1 of 2");
        assertThat(kernel.reads()).as("read at start and after the failure").isEqualTo(2);
        assertThat(kernel.holds()).isEqualTo(brain.plan(daemon.state()));
        assertThat(daemon.metrics().transactionsFailed()).isEqualTo(1);
    }

    @Test
    void aWipeReportedAsChainsMissingIsRepairedFromTheCurrentState() {
        start(false);
        daemon.submit(TestEvents.config(t()));
        vts.advanceTime();
        Desired before = kernel.holds();
        kernel.wipe();
        daemon.submit(new Event.ChainsMissing(t(), List.of("mwan4_iface_in_wan1", "mwan4_iface_in_wan2")));
        vts.advanceTime();
        assertThat(kernel.holds()).isEqualTo(before);
        assertThat(kernel.steps().getLast()).allMatch(op -> op instanceof Op.AddChain);
    }

    @Test
    void ticksAloneNeverCauseKernelSteps() {
        start(false);
        daemon.submit(TestEvents.config(t()));
        vts.advanceTime();
        int before = kernel.steps().size();
        int reads = kernel.reads();
        vts.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(kernel.steps()).hasSize(before);
        assertThat(kernel.reads()).isEqualTo(reads);
    }

    @Test
    void restartingOnTheSameStateAppliesNothing() {
        start(true);
        daemon.submit(TestEvents.config(t()));
        daemon.submit(TestEvents.resync(t()));
        vts.advanceTime();
        Desired running = kernel.holds();
        daemon.close();

        SimKernel second = new SimKernel(running);
        VirtualTimeScheduler vts2 = VirtualTimeScheduler.create();
        daemon = Daemon.builder().brain(brain).kernel(second).loop(vts2).kernelThread(vts2).io(vts2).awaitNetlink(true)
                .build().start();
        daemon.submit(TestEvents.config(Instant.EPOCH));
        daemon.submit(TestEvents.resync(Instant.EPOCH));
        vts2.advanceTime();
        assertThat(second.steps()).as("same config, same facts: zero ops").isEmpty();
        assertThat(second.reads()).isEqualTo(1);
    }

    @Test
    void stopRemovesWhatWeCreatedUnlessTold() {
        start(false);
        daemon.submit(TestEvents.config(t()));
        vts.advanceTime();
        assertThat(kernel.holds().chains()).isNotEmpty();
        daemon.stop(Duration.ZERO).subscribe();
        vts.advanceTime();
        assertThat(kernel.holds().chains()).isEmpty();
        assertThat(journal.lines.getLast().event()).isInstanceOf(Event.ShutdownRequested.class);
    }

    @Test
    void stopWithKeepRulesLeavesTheKernelAlone() {
        daemon = Daemon.builder().brain(brain).kernel(kernel).journal(journal).loop(vts).kernelThread(vts).io(vts)
                .keepRules(true).build().start();
        daemon.submit(TestEvents.config(t()));
        vts.advanceTime();
        Desired running = kernel.holds();
        boolean[] stopped = new boolean[1];
        daemon.stop(Duration.ZERO).doOnTerminate(() -> stopped[0] = true).subscribe();
        vts.advanceTime();
        assertThat(stopped[0]).isTrue();
        assertThat(kernel.holds()).isEqualTo(running);
    }

    @Test
    void probeRoundsMoveTrackersAndTheKernelFollows() {
        start(true);
        daemon.submit(TestEvents.config(t()));
        daemon.submit(TestEvents.resync(t()));
        vts.advanceTime();
        for (int i = 0; i < 3; i++) {
            vts.advanceTimeBy(Duration.ofSeconds(1));
            daemon.submit(TestEvents.round(t(), 1, false));
            daemon.submit(TestEvents.round(t(), 2, true));
        }
        vts.advanceTime();
        assertThat(daemon.state().tracker("wan1", org.mwan4.config.Family.IPV4).orElseThrow().status())
                .isEqualTo(TrackerStatus.OFFLINE);
        assertThat(kernel.holds().chains().get("mwan4_iface_in_wan1").rules()).contains("ipv4 offline");
        assertThat(daemon.metrics().stateChanges()).containsKey("wan1/ipv4 offline");
    }

    @Test
    void retryDelaysGrowAndStayBounded() {
        assertThat(List.of(1, 2, 3, 4, 30)).map(Daemon::retryDelay).containsExactly(Duration.ZERO, Duration.ofMillis(100),
                Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofSeconds(10));
    }
}
