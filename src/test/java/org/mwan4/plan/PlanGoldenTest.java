package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.core.State;

/**
 * Each scenario's rendered files against {@code test-fixtures/expected/<scenario>/}. Regenerate only with
 * {@code -Dgolden.update=true}, then read the diff. {@link NftKernelTest} proves the same files load into a real
 * kernel and list back as planned.
 */
class PlanGoldenTest {
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<String> scenarios() {
        return TestStates.SCENARIOS.stream();
    }

    static Path expectedDir(String scenario) {
        return TestStates.repo().resolve("test-fixtures/expected").resolve(scenario);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void renderedFilesMatchGolden(String scenario) throws IOException {
        Map<String, String> files = RulesetFiles.render(Planner.plan(TestStates.scenario(scenario)), TestTemplates.load());
        Path dir = expectedDir(scenario);
        if (UPDATE) {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            assertThat(Files.exists(p)).as("golden file %s exists (create with -Dgolden.update=true)", p).isTrue();
            assertThat(f.getValue()).as("%s/%s", scenario, f.getKey()).isEqualTo(Files.readString(p));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void planIsAFunctionOfTheState(String scenario) {
        State s = TestStates.scenario(scenario);
        Desired a = Planner.plan(s);
        assertThat(Planner.plan(TestStates.scenario(scenario))).isEqualTo(a);
        assertThat(Diff.diff(a, a)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void fromNothingAndBackToNothing(String scenario) {
        Desired want = Planner.plan(TestStates.scenario(scenario));
        List<Op> up = Diff.diff(Desired.empty(), want);
        assertThat(Apply.apply(Desired.empty(), up)).isEqualTo(want);
        List<Op> down = Diff.diff(want, Desired.empty());
        assertThat(Apply.apply(want, down)).isEqualTo(Desired.empty());
    }
}
