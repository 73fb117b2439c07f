package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** STYLE.md §1/§4: core reads no clock, no randomness, no I/O, and imports no Reactor, Netty or FFM. */
class CorePurityTest {

    static final List<String> FORBIDDEN = List.of(
            "import reactor.", "import io.netty.", "import java.io.", "import java.nio.", "import java.lang.foreign.",
            "import java.util.Random", "import java.util.concurrent.ThreadLocalRandom", "import org.slf4j.",
            "import com.fasterxml.", "Instant.now(", "Clock.", "System.currentTimeMillis(", "System.nanoTime(",
            "LocalDateTime.now(", "Math.random(", "Map.of(", "Set.of(", "Set.copyOf(", "Map.copyOf(",
            "System.out", "System.err", "default ->");

    @Test
    void coreIsPure() throws IOException {
        Path core = Path.of(System.getProperty("mwan4.repo", "."), "src/main/java/org/mwan4/core");
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(core)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    for (String bad : FORBIDDEN) {
                        if (line.contains(bad) && !line.trim().startsWith("*") && !line.trim().startsWith("//")) {
                            problems.add(f.getFileName() + ":" + (i + 1) + ": " + bad.trim());
                        }
                    }
                }
                assertThat(lines.size()).as(f.getFileName() + " stays under ~400 lines").isLessThan(400);
            }
        }
        assertThat(problems).isEmpty();
    }
}
