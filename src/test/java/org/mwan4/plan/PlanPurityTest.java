package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** STYLE §1/§4: plan is pure - no I/O, clock, randomness, Reactor, Netty or FFM, and no unordered Set.of/Map.of output. */
class PlanPurityTest {
    static final List<String> FORBIDDEN = List.of("import java.io", "import java.nio.file", "import reactor", "import io.netty",
            "import java.lang.foreign", "Instant.now", "System.currentTimeMillis", "System.nanoTime", "java.util.Random",
            "ThreadLocalRandom", "Math.random", "Set.of(", "Map.of(", "Set.copyOf(", "Map.copyOf(", "new HashMap", "new HashSet");

    @Test
    void planSourcesStayPure() throws IOException {
        Path dir = TestStates.repo().resolve("src/main/java/org/mwan4/plan");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String src = Files.readString(f);
                for (String bad : FORBIDDEN) {
                    assertThat(src).as("%s uses %s", f.getFileName(), bad).doesNotContain(bad);
                }
            }
        }
    }
}
