package org.mwan4.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rules of ARCHITECTURE.md and STYLE.md, checked on the sources: which layer may use which, the pure
 * layers (core, plan) touch no I/O, clock or randomness, and no class grows past 400 lines.
 */
class ArchitectureTest {
    static final Path MAIN = Path.of(System.getProperty("mwan4.repo", ".")).resolve("src/main/java");

    /** ARCHITECTURE.md "Packages": layer -> the other layers it may use. */
    static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.of(
            "config", Set.of(),
            "core", Set.of("config"),
            "plan", Set.of("core", "config"),
            "kernel", Set.of("plan", "core", "config"),
            "probe", Set.of("core", "config", "kernel"),
            "runtime", Set.of("config", "core", "plan", "kernel", "probe"),
            "api", Set.of("core", "runtime", "config", "plan"),
            "cli", Set.of("config", "core", "plan", "kernel", "probe", "runtime", "api", "lab", "demo"),
            "demo", Set.of("config", "core", "plan", "kernel", "probe", "runtime", "lab"),
            "lab", Set.of("kernel", "config")));

    static final Set<String> PURE = Set.of("core", "plan");
    static final List<String> IMPURE_PACKAGES = List.of("reactor", "io.netty", "java.lang.foreign", "java.io",
            "java.nio.channels", "java.nio.file", "java.net");
    static final Pattern IMPURE_CALLS = Pattern.compile(
            "\\b(Instant|LocalDateTime|LocalDate|LocalTime|ZonedDateTime|OffsetDateTime)\\s*\\.\\s*now\\s*\\("
                    + "|\\bSystem\\s*\\.\\s*(currentTimeMillis|nanoTime)\\b|\\bClock\\s*\\.\\s*system\\w*"
                    + "|\\b(Secure|ThreadLocal)?Random\\b|\\bMath\\s*\\.\\s*random\\b");
    static final int MAX_LINES = 400;

    static final List<SourceFile> SOURCES = SourceFile.under(MAIN);

    @Test
    void sourcesAreFound() {
        assertThat(SOURCES).extracting(SourceFile::layer).contains("config", "cli", "core", "plan");
    }

    @Test
    void layersUseOnlyWhatTheArchitectureAllows() {
        assertThat(dependencyViolations(SOURCES)).isEmpty();
    }

    @Test
    void coreAndPlanArePure() {
        assertThat(purityViolations(SOURCES)).isEmpty();
    }

    @Test
    void noClassIsOver400Lines() {
        List<String> big = SOURCES.stream().filter(f -> f.lines() > MAX_LINES)
                .map(f -> f.path() + " has " + f.lines() + " lines").toList();
        assertThat(big).as("split these (STYLE.md: a class over ~400 lines)").isEmpty();
    }

    // The rules themselves must catch what they are for: synthetic sources that break each one.

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "config uses core         | org.mwan4.config | import org.mwan4.core.State;",
        "core uses plan           | org.mwan4.core   | import org.mwan4.plan.Desired;",
        "core names runtime inline| org.mwan4.core   | Object x = new org.mwan4.runtime.Daemon();",
        "plan uses kernel         | org.mwan4.plan   | import org.mwan4.kernel.NetnsThread;",
        "probe uses runtime       | org.mwan4.probe  | import org.mwan4.runtime.Loop;",
        "api uses cli             | org.mwan4.api    | import org.mwan4.cli.Main;",
        "a layer nobody knows     | org.mwan4.util   | import org.mwan4.config.Config;",
    })
    void dependencyRuleCatches(String name, String pkg, String line) {
        assertThat(dependencyViolations(List.of(SourceFile.of("X.java", "package " + pkg + ";\n" + line + "\n")))).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "reactor                 | import reactor.core.publisher.Flux;",
        "netty                   | import io.netty.channel.Channel;",
        "FFM                     | import java.lang.foreign.Arena;",
        "java.io                 | import java.io.File;",
        "java.nio.file inline    | java.nio.file.Path p = null;",
        "java.net                | import java.net.Socket;",
        "Instant.now             | var t = Instant.now();",
        "currentTimeMillis       | long t = System.currentTimeMillis();",
        "nanoTime                | long t = System.nanoTime();",
        "Random                  | var r = new Random(1);",
        "ThreadLocalRandom       | int i = ThreadLocalRandom.current().nextInt();",
    })
    void purityRuleCatches(String name, String line) {
        SourceFile f = SourceFile.of("X.java", "package org.mwan4.core;\nclass X {\n" + line + "\n}\n");
        assertThat(purityViolations(List.of(f))).hasSize(1);
    }

    @Test
    void proseIsNotCode() {
        SourceFile f = SourceFile.of("X.java", """
                package org.mwan4.core;
                /** Never calls Instant.now() or imports java.io; see org.mwan4.kernel. */
                class X {
                    String s = "java.io.File and Instant.now() and org.mwan4.runtime";
                    // System.nanoTime()
                }
                """);
        assertThat(purityViolations(List.of(f))).isEmpty();
        assertThat(dependencyViolations(List.of(f))).isEmpty();
    }

    static List<String> dependencyViolations(List<SourceFile> files) {
        List<String> out = new ArrayList<>();
        for (SourceFile f : files) {
            Set<String> allowed = ALLOWED.get(f.layer());
            if (allowed == null) {
                out.add(f.path() + ": package " + f.pkg() + " is not a layer of ARCHITECTURE.md");
                continue;
            }
            for (String used : f.layersUsed()) {
                if (!allowed.contains(used)) {
                    out.add(f.path() + ": " + f.layer() + " must not use " + used + " (allowed: " + allowed + ")");
                }
            }
        }
        return out;
    }

    static List<String> purityViolations(List<SourceFile> files) {
        List<String> out = new ArrayList<>();
        for (SourceFile f : files) {
            if (!PURE.contains(f.layer())) {
                continue;
            }
            f.references(IMPURE_PACKAGES).forEach(r -> out.add(f.path() + ": uses " + r));
            f.matches(IMPURE_CALLS).forEach(m -> out.add(f.path() + ": calls " + m));
        }
        return out;
    }
}
