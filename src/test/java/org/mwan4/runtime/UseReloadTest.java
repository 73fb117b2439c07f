package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.config.ConfigLoader;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.plan.Desired;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code mwan4 reload} makes the cgroups of a new config before the reducer hears of them, and the output chain follows
 * (virtual time, the production brain, a model kernel; cgroups in a temp tree standing in for /sys/fs/cgroup).
 */
class UseReloadTest {
    @TempDir
    Path dir;

    private final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
    private final ReplayFidelityTest.ModelKernel kernel = new ReplayFidelityTest.ModelKernel(Desired.empty());
    private final TestEvents.MemoryJournal journal = new TestEvents.MemoryJournal();
    private Daemon daemon;
    private DaemonControl control;
    private Path config;
    private Path cgroupRoot;
    private UseCgroupDirs dirs;

    static final String WAN3 = "\nconfig interface 'wan3'\n\toption enabled '1'\n\toption device 'wan3'\n";

    @BeforeEach
    void start() throws Exception {
        config = dir.resolve("mwan4");
        Files.writeString(config, TestEvents.configText());
        cgroupRoot = Files.createDirectories(dir.resolve("sys/fs/cgroup"));
        Files.writeString(dir.resolve("mountinfo"), "28 20 0:26 / " + cgroupRoot + " rw - cgroup2 cgroup2 rw\n");
        dirs = new UseCgroupDirs(dir.resolve("mountinfo"), cgroupRoot);
        daemon = Daemon.builder().brain(Brain.standard()).kernel(kernel).journal(journal).loop(vts).kernelThread(vts).io(vts)
                .awaitNetlink(true).build().start();
        control = new DaemonControl(daemon, new ConfigSource(config, dir.resolve("network")), List::of, null, Schedulers.immediate(), dirs);
        daemon.submit(TestEvents.config(daemon.now()));
        daemon.submit(dirs.prepare(ConfigLoader.load("mwan4", TestEvents.configText(), null), daemon.now()));
        daemon.submit(TestEvents.resync(daemon.now()));
        vts.advanceTime();
    }

    @AfterEach
    void close() {
        daemon.close();
        dirs.close();
    }

    List<String> cgroupRules() {
        return kernel.read().chains().get("mwan4_output").rules().stream().filter(r -> r.contains("socket cgroupv2")).toList();
    }

    @Test
    void aReloadWithANewInterfaceMakesItsCgroupThenItsRule() throws Exception {
        assertThat(cgroupRules()).hasSize(2);
        Files.writeString(config, TestEvents.configText() + WAN3);
        assertThat(control.reload().block().ok()).isTrue();
        vts.advanceTime();
        assertThat(cgroupRoot.resolve("mwan4/wan3")).isDirectory();
        List<String> types = journal.lines.stream().map(LoggedEvent::event).map(e -> e.getClass().getSimpleName())
                .filter(t -> !t.equals("KernelStepApplied")).toList();
        assertThat(types.subList(types.size() - 3, types.size())).containsExactly("OperatorCommanded", "ConfigLoaded",
                "UseCgroupsPrepared");
        assertThat(daemon.state().useCgroups().interfaces()).containsExactly("wan1", "wan2", "wan3");
        assertThat(cgroupRules()).hasSize(3).last().asString().contains("\"mwan4/wan3\"");
        assertThat(control.useCgroups().directoryOf("wan3")).isEqualTo(cgroupRoot.resolve("mwan4/wan3").toString());
    }

    @Test
    void aRejectedReloadMakesNoCgroup() throws Exception {
        Files.writeString(config, TestEvents.configText().replace("option down '2'", "option down 'two'") + WAN3);
        assertThat(control.reload().block().ok()).isFalse();
        vts.advanceTime();
        assertThat(cgroupRoot.resolve("mwan4/wan3")).doesNotExist();
        assertThat(journal.lines.stream().map(LoggedEvent::event).filter(e -> e instanceof Event.UseCgroupsPrepared)).hasSize(1);
    }

    @Test
    void atCloseWhatWasMadeIsRemoved() {
        assertThat(cgroupRoot.resolve("mwan4/wan1")).isDirectory();
        dirs.close();
        assertThat(cgroupRoot.resolve("mwan4")).doesNotExist();
        assertThat(cgroupRoot).isDirectory();
    }
}
