package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderReplayCommandTest {
    private static final String REPO = System.getProperty("mwan4.repo", ".");
    private static final String CONFIG = REPO + "/etc/config/mwan4";
    private static final String LOG = REPO + "/test-fixtures/events/wan-failover.jsonl";

    @TempDir
    Path dir;

    @Test
    void renderWritesTheFourNftFilesAndTheIpFiles() throws Exception {
        Cli r = Cli.run("render", "--config", CONFIG, "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("10-mwan4-base.nft",
                    "11-mwan4-interfaces.nft", "12-mwan4-strategies.nft", "13-mwan4-rules.nft", "ip-rules.txt", "routes.txt");
        }
        // every interface assumed up and online at start: the balanced strategy splits 3:3 over wan and wanb
        assertThat(Files.readString(dir.resolve("12-mwan4-strategies.nft")))
                .contains("chain mwan4_strategy_balanced_ipv4 {")
                .contains("numgen random mod 6 0-2", "comment \"wan 3 6\"", "comment \"wanb 3 6\"");
        assertThat(Files.readAllLines(dir.resolve("ip-rules.txt"))).contains("ip -4 rule add pref 2001 fwmark 0x100/0x3f00 lookup 1");
    }

    @Test
    void renderNamesAMissingOptionAndABadConfig() throws Exception {
        Cli r = Cli.run("render", "--config", CONFIG);
        assertThat(r.code()).isEqualTo(ExitCode.INVALID);
        assertThat(r.err()).contains("--out");
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "config route 'r'\n\toption interface 'nope'\n");
        Cli b = Cli.run("render", "--config", bad.toString(), "--out", dir.resolve("o").toString());
        assertThat(b.code()).isEqualTo(ExitCode.INVALID);
        assertThat(b.err()).contains(bad + ":2:");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void replayIsByteIdenticalFromRunToRunAndShowsEachStepsOps() {
        Cli a = Cli.run("replay", LOG, "--ops");
        Cli b = Cli.run("replay", LOG, "--ops");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.out()).contains("#1 ConfigLoaded").contains("replace chain mwan4_strategy_balanced_ipv4")
                .contains("replayed 20 events");
    }

    @Test
    void replayUntilStopsEarly() {
        Cli r = Cli.run("replay", LOG, "--until", "3");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("replayed 3 events (seq 1..3");
        assertThat(Cli.run("replay", LOG, "--until", "zero").err()).contains("--until takes a sequence number");
    }

    @Test
    void aBadLineStopsTheReplayThereWithItsPlace() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(LOG));
        Path log = dir.resolve("events.jsonl");
        Files.write(log, List.of(lines.get(0), lines.get(1), "{\"seq\":3,\"type\":\"linkup\",\"at\":\"2026-11-22T04:00:00Z\"}", lines.get(3)));
        Cli r = Cli.run("replay", log.toString());
        assertThat(r.code()).isEqualTo(ExitCode.INVALID);
        assertThat(r.out()).contains("replayed 2 events");
        assertThat(r.err()).contains(log + ":3: unknown event type 'linkup'");
    }

    @Test
    void replayEmitsTheFinalRuleset() throws Exception {
        Cli r = Cli.run("replay", LOG, "--emit-nft", dir.toString());
        assertThat(r.code()).isZero();
        assertThat(dir.resolve("10-mwan4-base.nft")).exists();
        assertThat(Files.readString(dir.resolve("10-mwan4-base.nft"))).contains("chain mwan4_prerouting");
    }
}
