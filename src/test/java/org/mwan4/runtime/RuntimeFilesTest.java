package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.State;
import org.mwan4.plan.Desired;
import org.mwan4.plan.NftRender;
import org.mwan4.runtime.eventlog.EventEncoder;
import org.mwan4.runtime.eventlog.EventLogReader;

/** The daemon's files: event log rotation, status file shape, ruleset-post files, the read-back codec. */
class RuntimeFilesTest {
    @TempDir
    Path dir;

    private static State twoWansUp(boolean wan1Online) {
        Brain b = Brain.standard();
        State s = b.reduce(State.initial(), TestEvents.config(Instant.EPOCH)).state();
        s = b.reduce(s, TestEvents.resync(Instant.EPOCH)).state();
        if (!wan1Online) {
            s = b.reduce(s, TestEvents.link(Instant.EPOCH, 1, false)).state();
        }
        return s;
    }

    @Test
    void theEventLogRotatesBySizeKeepsNFilesAndNeverSplitsALine() throws Exception {
        Path log = dir.resolve("events.jsonl");
        EventEncoder enc = new EventEncoder();
        try (RotatingEventLog l = new RotatingEventLog(log, 300, 3, enc::encode)) {
            for (int i = 1; i <= 40; i++) {
                l.append(new LoggedEvent(i, new Event.Ticked(Instant.ofEpochSecond(i))));
            }
            assertThat(l.bytesWritten()).isGreaterThan(3 * 300);
        }
        assertThat(log).exists();
        assertThat(log.resolveSibling("events.jsonl.1")).exists();
        assertThat(log.resolveSibling("events.jsonl.2")).exists();
        assertThat(log.resolveSibling("events.jsonl.3")).doesNotExist();
        for (String f : List.of("events.jsonl", "events.jsonl.1", "events.jsonl.2")) {
            assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(300);
            EventLogReader.ReadResult r = EventLogReader.readAll(dir.resolve(f));
            assertThat(r.error()).as(f + " reads whole lines").isEmpty();
        }
        List<LoggedEvent> newest = EventLogReader.readAll(log).events();
        assertThat(newest.getLast().seq()).isEqualTo(40);
        List<LoggedEvent> older = EventLogReader.readAll(log.resolveSibling("events.jsonl.1")).events();
        assertThat(older.getLast().seq()).as("files follow each other").isEqualTo(newest.getFirst().seq() - 1);
    }

    @Test
    void theEventLogRefusesNonsenseLimits() {
        assertThatThrownBy(() -> new RotatingEventLog(dir.resolve("x"), 0, 3, e -> "")).hasMessageContaining("must be positive");
    }

    @Test
    void theStatusFileHasTheShapePbrReads() throws Exception {
        StatusFile f = new StatusFile(dir.resolve("var/run/mwan4.json"));
        assertThat(f.write(twoWansUp(false))).isTrue();
        assertThat(f.write(twoWansUp(false))).as("unchanged text is not rewritten").isFalse();
        JsonNode root = new ObjectMapper().readTree(f.path().toFile());
        JsonNode wan1 = root.path("interfaces").get(0);
        assertThat(wan1.path("name").asText()).isEqualTo("wan1");
        assertThat(wan1.path("enabled").asBoolean()).isTrue();
        assertThat(wan1.path("device").asText()).isEqualTo("wan1");
        assertThat(wan1.path("table_id").asInt()).isEqualTo(1);
        assertThat(wan1.path("mark").asText()).isEqualTo("0x0100");
        assertThat(wan1.path("priority").asInt()).isEqualTo(2001);
        assertThat(wan1.path("gateway_ipv4").asText()).isEqualTo("198.51.100.9");
        assertThat(wan1.path("gateway_ipv6").isNull()).isTrue();
        assertThat(wan1.path("status").asText()).isNotEqualTo("online");
        assertThat(wan1.path("ipv4").path("targets").get(0).path("ip").asText()).isEqualTo("203.0.113.200");
        JsonNode wan2 = root.path("interfaces").get(1);
        assertThat(wan2.path("mark").asText()).isEqualTo("0x0200");
        assertThat(wan2.path("status").asText()).isEqualTo("online");
        JsonNode balanced = root.path("strategies").get(0);
        assertThat(balanced.path("name").asText()).isEqualTo("balanced");
        assertThat(balanced.path("members")).extracting(JsonNode::asText).containsExactly("wan1", "wan2");
        assertThat(balanced.path("last_resort").asText()).isEqualTo("unreachable");
        assertThat(root.path("policies")).as("pbr's name for the same list").isEqualTo(root.path("strategies"));
    }

    @Test
    void theRulesetPostFilesAreTheFourNftFilesRewrittenOnlyOnChange() throws Exception {
        RulesetPostFiles files = new RulesetPostFiles(dir.resolve(RulesetPostFiles.DIRECTORY),
                d -> org.mwan4.plan.RulesetFiles.render(d, BundledTemplates.load()));
        Desired up = Brain.standard().plan(twoWansUp(true));
        assertThat(files.write(up)).extracting(p -> p.getFileName().toString()).containsExactly("10-mwan4-base.nft",
                "11-mwan4-interfaces.nft", "12-mwan4-strategies.nft", "13-mwan4-rules.nft");
        assertThat(files.write(up)).isEmpty();
        Desired down = Brain.standard().plan(twoWansUp(false));
        assertThat(files.write(down)).extracting(p -> p.getFileName().toString())
                .as("a failover rewrites the files whose objects changed").isNotEmpty()
                .doesNotContain("13-mwan4-rules.nft");
        Files.writeString(dir.resolve(RulesetPostFiles.DIRECTORY).resolve("20-other.nft"), "# not ours\n");
        assertThat(files.remove()).hasSize(4);
        assertThat(dir.resolve(RulesetPostFiles.DIRECTORY).resolve("20-other.nft")).exists();
    }

    @Test
    void aReadBackSurvivesItsJsonText() {
        Desired d = Brain.standard().plan(twoWansUp(true));
        assertThat(d.chains()).isNotEmpty();
        assertThat(d.ipRules()).isNotEmpty();
        assertThat(d.routes()).isNotEmpty();
        Desired back = DesiredJson.decode(DesiredJson.encode(d));
        assertThat(back).isEqualTo(d);
        assertThat(NftRender.script(org.mwan4.plan.Diff.diff(back, d)).text()).isEmpty();
        assertThat(DesiredJson.decode(DesiredJson.encode(Desired.empty()))).isEqualTo(Desired.empty());
        assertThatThrownBy(() -> DesiredJson.decode("{\"routes\":[{\"destination\":\"x\"}]}"))
                .hasMessageContaining("'x' is not a prefix");
    }
}
