package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A lab never outlives its owner: close, exceptions, a killed JVM, and leftovers of crashed runs. */
@Tag("kernel")
class LabCleanupTest {

    @BeforeEach
    void needsRoot() {
        assumeTrue(Preflight.problems().isEmpty(), () -> "lab test skipped: " + Preflight.problems());
    }

    private static List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (String line : HostCommand.of("ip", "netns", "list").run().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.split(" ")[0]);
            }
        }
        return out;
    }

    private static List<String> ofLab(String labId) {
        return namespaces().stream().filter(n -> n.startsWith(labId + "-")).toList();
    }

    @Test
    void closeRemovesEveryNamespaceAndIsIdempotent() {
        List<String> before = namespaces();
        Lab lab = Lab.builder().isps(3).servers(false).build();
        assertThat(ofLab(lab.id())).containsExactlyInAnyOrderElementsOf(lab.topology().namespaces());
        assertThat(before).doesNotContainAnyElementsOf(lab.topology().namespaces());
        lab.close();
        assertThat(ofLab(lab.id())).isEmpty();
        assertThat(namespaces()).doesNotContainAnyElementsOf(lab.topology().namespaces());
        lab.close();
        assertThat(Files.exists(Lab.DEFAULT_OWNER_DIR.resolve(lab.id() + ".owner"))).isFalse();
    }

    @Test
    void keepLeavesTheNamespacesForAHumanAndRemoveLeftoversSparesThemWhileTheOwnerLives() {
        Lab lab = Lab.builder().isps(1).build();
        try {
            String how = lab.keep();
            assertThat(how).contains(lab.id());
            lab.close(); // already kept: nothing happens
            assertThat(ofLab(lab.id())).containsExactlyInAnyOrderElementsOf(lab.topology().namespaces());
            assertThat(Lab.removeLeftovers(Lab.TEST_PREFIX)).doesNotContainAnyElementsOf(lab.topology().namespaces());
            assertThat(lab.topology().namespaces()).allSatisfy(n ->
                    assertThat(new Netns(n).exec("ip", "link", "show", "lo").attempt().ok()).isTrue());
        } finally {
            lab.topology().namespaces().forEach(n -> HostCommand.of("ip", "netns", "del", n).attempt());
            LabOwner.forget(Lab.DEFAULT_OWNER_DIR, lab.id());
        }
        assertThat(ofLab(lab.id())).isEmpty();
    }

    @Test
    void aThrowingTestStillRemovesItsLab() {
        AtomicReference<String> id = new AtomicReference<>();
        assertThatThrownBy(() -> {
            try (Lab lab = Lab.builder().isps(1).build()) {
                id.set(lab.id());
                throw new IllegalStateException("test failed inside the lab");
            }
        }).hasMessage("test failed inside the lab");
        assertThat(id.get()).isNotNull();
        assertThat(ofLab(id.get())).isEmpty();
    }

    @Test
    void removeLeftoversDeletesCrashedLabsAndSparesLiveLabsAndOtherNamespaces() throws Exception {
        String prefix = "mwan4tleft-";
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(5, TimeUnit.SECONDS);
        String crashed = prefix + "c0ffee";
        String orphan = prefix + "0dead0";
        String notALab = prefix + "keepme-1";
        List<String> made = List.of(crashed + "-router", crashed + "-isp1", orphan + "-lan", notALab);
        made.forEach(n -> HostCommand.of("ip", "netns", "add", n).run());
        Files.createDirectories(Lab.DEFAULT_OWNER_DIR);
        Files.writeString(Lab.DEFAULT_OWNER_DIR.resolve(crashed + ".owner"), gone.pid() + " 1\n"); // owner died
        Path removedByHand = Lab.DEFAULT_OWNER_DIR.resolve(prefix + "abc123.owner"); // dead owner, no namespaces left
        Files.writeString(removedByHand, gone.pid() + " 1\n");
        try (Lab live = Lab.builder().prefix(prefix).isps(1).servers(false).build()) {
            List<String> removed = Lab.removeLeftovers(prefix);
            assertThat(removed).containsExactly(orphan + "-lan", crashed + "-isp1", crashed + "-router");
            assertThat(namespaces()).contains(notALab).containsAll(live.topology().namespaces())
                    .doesNotContainAnyElementsOf(removed);
            assertThat(Files.exists(Lab.DEFAULT_OWNER_DIR.resolve(crashed + ".owner"))).isFalse();
            assertThat(Files.exists(removedByHand)).isFalse();
            assertThat(Files.exists(Lab.DEFAULT_OWNER_DIR.resolve(live.id() + ".owner"))).isTrue();
            assertThat(Lab.removeLeftovers(prefix)).isEmpty();
        } finally {
            made.forEach(n -> HostCommand.of("ip", "netns", "del", n).attempt());
        }
    }

    @Test
    void aKilledJvmRemovesItsLabInItsShutdownHook() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LabChild.class.getName(), "mwan4tkill-")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    StringBuilder seen = new StringBuilder();
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("READY ")) {
                            return line.substring(6).strip();
                        }
                        seen.append(line).append('\n');
                    }
                    throw new IllegalStateException("child ended before its lab was ready:\n" + seen);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String labId = ready.get(30, TimeUnit.SECONDS);
            assertThat(ofLab(labId)).hasSize(4);
            child.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C (SIGINT)
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child exits after SIGTERM").isTrue();
            assertThat(ofLab(labId)).as("namespaces of the killed JVM's lab").isEmpty();
            assertThat(Files.exists(Lab.DEFAULT_OWNER_DIR.resolve(labId + ".owner"))).isFalse();
        } finally {
            child.destroyForcibly();
            Lab.removeLeftovers("mwan4tkill-");
        }
    }
}
