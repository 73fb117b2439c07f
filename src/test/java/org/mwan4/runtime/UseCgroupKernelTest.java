package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigLoader;
import org.mwan4.core.Event;
import org.mwan4.core.Reducer;
import org.mwan4.core.State;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Diff;
import org.mwan4.plan.NftRender;
import org.mwan4.plan.Planner;
import org.mwan4.testing.TestNetns;

/**
 * The {@code mwan4 use} rules against the real kernel and the host's real cgroup2 mount: {@link UseCgroupDirs} makes
 * the cgroups (under a unique {@code mwan4t-...} base), the planned ruleset loads into a throwaway namespace, lists
 * back as planned, and marks exactly the packets of a process in wanb's cgroup. nft runs through
 * {@code nsenter --net} (not {@code ip netns exec}, which remounts /sys and hides the cgroups from nft).
 */
@Tag("kernel")
class UseCgroupKernelTest {
    static final Instant AT = Instant.parse("2026-11-22T04:00:00Z");

    static Config config(String base) throws Exception {
        return ConfigLoader.load("mwan4", "config globals 'globals'\n\toption use_cgroup '" + base + "'\n"
                + "config interface 'wan'\n\toption enabled '1'\n\toption device 'v0'\n"
                + "config interface 'wanb'\n\toption enabled '1'\n\toption device 'v1'\n", null);
    }

    static String nsenter(TestNetns ns, String stdin, String... cmd) {
        List<String> argv = new java.util.ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + ns.name()));
        argv.addAll(List.of(cmd));
        TestNetns.Result r = TestNetns.runWithInput(stdin, argv.toArray(String[]::new));
        assertThat(r.code()).as("%s: %s", argv, r.output()).isZero();
        return r.output();
    }

    /** Packets of echo requests with wanb's mark (0x200) as a filter chain after mangle sees them. */
    static long markedPings(TestNetns ns) {
        String listing = nsenter(ns, null, "nft", "list", "chain", "inet", "mwan4t_count", "out");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listing);
        assertThat(m.find()).as(listing).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void theRuleLoadsListsBackAsPlannedAndMarksOnlyTheCgroupsSockets() throws Exception {
        String base = "mwan4t-use-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        try (TestNetns ns = TestNetns.create("use"); UseCgroupDirs dirs = UseCgroupDirs.system(null)) {
            Config config = config(base);
            Event.UseCgroupsPrepared prepared = dirs.prepare(config, AT);
            assertThat(prepared.problem()).as("cgroup2 must be mounted below /sys/fs/cgroup on this machine").isEmpty();
            assertThat(prepared.interfaces()).containsExactly("wan", "wanb");
            Path wanb = Path.of(prepared.directory(), "wanb");
            assertThat(wanb.resolve("cgroup.procs")).as("a real cgroup").exists();

            State s = Reducer.reduce(State.initial(), new Event.ConfigLoaded(AT, "/etc/config/mwan4",
                    "config globals 'globals'\n\toption use_cgroup '" + base + "'\n"
                            + "config interface 'wan'\n\toption enabled '1'\n\toption device 'v0'\n"
                            + "config interface 'wanb'\n\toption enabled '1'\n\toption device 'v1'\n", null, null)).state();
            s = Reducer.reduce(s, prepared).state();
            Desired want = Planner.plan(s);
            List<String> cgroupRules = want.chains().get("mwan4_output").rules().stream()
                    .filter(r -> r.contains("socket cgroupv2")).toList();
            assertThat(cgroupRules).hasSize(2);

            nsenter(ns, null, "nft", "add", "table", "inet", "fw4");
            nsenter(ns, NftRender.script(Diff.diff(Desired.empty(), want)).text(), "nft", "-f", "-");
            String listed = nsenter(ns, null, "nft", "list", "chain", "inet", "fw4", "mwan4_output");
            for (String r : cgroupRules) {
                assertThat(listed).as("read back as planned, so the daemon's diff is empty").contains("\t\t" + r + "\n");
            }
            nsenter(ns, "table inet mwan4t_count {\n chain out {\n  type filter hook output priority filter; policy accept;\n"
                    + "  meta mark & 0x00003f00 == 0x00000200 icmp type echo-request counter\n }\n}\n", "nft", "-f", "-");

            String ping = "nsenter --net=/var/run/netns/" + ns.name() + " ping -c 3 -i 0.05 -W 1 127.0.0.1 >/dev/null";
            TestNetns.run("sh", "-c", ping);
            assertThat(markedPings(ns)).as("outside the cgroup nothing gets wanb's mark").isZero();
            TestNetns.run("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec sh -c \"$1\"", wanb.toString(), ping);
            assertThat(markedPings(ns)).as("each echo request of the process in wanb's cgroup").isEqualTo(3);
        }
    }

    @Test
    void aCgroupWithAProcessInsideStaysAtStop() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestNetns.isRoot(), "needs root to make cgroups");
        String base = "mwan4t-busy-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFL);
        UseCgroupDirs dirs = UseCgroupDirs.system(null);
        Event.UseCgroupsPrepared prepared = dirs.prepare(config(base), AT);
        Path wan = Path.of(prepared.directory(), "wan");
        Process sleeper = new ProcessBuilder("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec sleep 30", wan.toString()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.readString(wan.resolve("cgroup.procs")).isBlank() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            dirs.close();
            assertThat(wan).as("busy: rmdir fails with EBUSY and it stays").isDirectory();
            assertThat(Path.of(prepared.directory(), "wanb")).as("an empty one is removed").doesNotExist();
        } finally {
            sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            // the process is gone: now both go (what a later stop would do)
            Files.deleteIfExists(wan);
            Files.deleteIfExists(Path.of(prepared.directory()));
        }
        assertThat(Path.of(prepared.directory())).doesNotExist();
    }
}
