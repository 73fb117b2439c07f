package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.core.Event;
import org.mwan4.plan.Desired;
import org.mwan4.runtime.ControlPlane.DaemonEvent;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The control plane over a running loop (virtual time, the production brain, a model kernel). */
class DaemonControlTest {
    @TempDir
    Path dir;

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final ReplayFidelityTest.ModelKernel kernel = new ReplayFidelityTest.ModelKernel(Desired.empty());
    private final TestEvents.MemoryJournal journal = new TestEvents.MemoryJournal();
    private Daemon daemon;
    private DaemonControl control;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        config = dir.resolve("mwan4");
        Files.writeString(config, TestEvents.configText());
        daemon = Daemon.builder().brain(Brain.standard()).kernel(kernel).journal(journal).loop(vts).kernelThread(vts).io(vts)
                .awaitNetlink(true).build().start();
        control = new DaemonControl(daemon, new ConfigSource(config, dir.resolve("network")), List::of, Schedulers.immediate());
        daemon.submit(TestEvents.config(daemon.now()));
        daemon.submit(TestEvents.resync(daemon.now()));
        vts.advanceTime();
    }

    @AfterEach
    void close() {
        daemon.close();
    }

    @Test
    void commandsBecomeEventsAndUnknownInterfacesAreNamed() {
        ControlPlane.CommandResult bad = control.ifdown("wan9").block();
        assertThat(bad.ok()).isFalse();
        assertThat(bad.message()).contains("wan9", "[wan1, wan2]");
        assertThat(control.ifdown("wan1").block().ok()).isTrue();
        vts.advanceTime();
        assertThat(journal.lines).anyMatch(l -> l.event() instanceof Event.OperatorCommanded c
                && c.command() == Event.Command.IFDOWN && c.iface().equals("wan1"));
        assertThat(control.status().iface("wan1").orElseThrow().operatorDown()).isTrue();
        assertThat(kernel.read()).isEqualTo(Brain.standard().plan(daemon.state()));
    }

    @Test
    void aPlanPreviewShowsTheOpsWithoutApplyingThem() {
        Desired before = kernel.read();
        ControlPlane.PlanPreview p = control.plan("/tmp/new", TestEvents.configText().replace("option weight '1'\n\nconfig route 'wan2_m2_w1'",
                "option weight '4'\n\nconfig route 'wan2_m2_w1'")).block();
        assertThat(p.valid()).isTrue();
        assertThat(p.ops()).containsExactly("replace chain mwan4_strategy_balanced_ipv4 (2 rules)");
        assertThat(kernel.read()).isEqualTo(before);
        ControlPlane.PlanPreview invalid = control.plan("/tmp/new", "config interface 'wan'\n\toption down 'x'\n").block();
        assertThat(invalid.valid()).isFalse();
        assertThat(invalid.errors()).isNotEmpty();
    }

    @Test
    void anInvalidReloadIsLoggedRejectedAndKeepsTheState() throws Exception {
        List<DaemonEvent> seen = new CopyOnWriteArrayList<>();
        control.events().subscribe(seen::add);
        var before = daemon.state();
        Files.writeString(config, TestEvents.configText().replace("option down '2'", "option down 'two'"));
        ControlPlane.CommandResult r = control.reload().block();
        vts.advanceTime();
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).hasSize(2);
        assertThat(daemon.state().config()).isSameAs(before.config());
        assertThat(seen).filteredOn(e -> e instanceof DaemonEvent.Logged).extracting(e -> ((DaemonEvent.Logged) e).message())
                .anyMatch(m -> m.contains("rejected (2 errors)"));
        assertThat(seen).noneMatch(e -> e instanceof DaemonEvent.TransactionApplied);
    }

    @Test
    void aValidReloadAppliesOnlyTheDifference() throws Exception {
        List<DaemonEvent> seen = new CopyOnWriteArrayList<>();
        control.events().subscribe(seen::add);
        Files.writeString(config, TestEvents.configText().replace("option weight '3'", "option weight '2'"));
        assertThat(control.reload().block().ok()).isTrue();
        vts.advanceTime();
        assertThat(seen).filteredOn(e -> e instanceof DaemonEvent.TransactionApplied)
                .extracting(e -> ((DaemonEvent.TransactionApplied) e).ops())
                .containsExactly(List.of("replace chain mwan4_strategy_balanced_ipv4 (2 rules)",
                        "replace chain mwan4_strategy_wan1_wan2_ipv4 (1 rules)"));
    }

    @Test
    void aSubscriberThatNeverRequestsDoesNotSlowTheLoop() {
        control.events().subscribe(new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                // never requests anything
            }
        });
        for (int i = 0; i < 100; i++) {
            daemon.submit(TestEvents.link(daemon.now(), 1, i % 2 == 0));
            vts.advanceTimeBy(Duration.ofMillis(10));
        }
        assertThat(journal.lines).filteredOn(l -> l.event() instanceof Event.LinkChanged).hasSize(100);
        ControlPlane.DaemonMetrics m = control.metrics();
        assertThat(m.eventsReduced()).isEqualTo(journal.lines.size());
        assertThat(m.transactionsApplied()).isPositive();
        assertThat(m.applyLatencyCounts().getLast()).isEqualTo(m.transactionsApplied());
    }
}
