package org.mwan4.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden config fixtures in test-fixtures/configs: one test per file, so adding a fixture adds a test.
 * <ul>
 * <li>valid/NAME.uci loads; its warnings are exactly valid/NAME.warnings (none when there is no such file);</li>
 * <li>invalid/NAME.uci fails with exactly the error lines of invalid/NAME.expected;</li>
 * <li>mwan3/NAME.mwan3 migrates to exactly mwan3/NAME.expected, which migrates to itself and loads.</li>
 * </ul>
 * Messages name the file "mwan4", as for /etc/config/mwan4.
 */
class ConfigFixturesTest {
    static final Path DIR = ConfigLoaderTest.repo().resolve("test-fixtures/configs");

    static Stream<String> valid() throws IOException {
        return names("valid", ".uci");
    }

    static Stream<String> invalid() throws IOException {
        return names("invalid", ".uci");
    }

    static Stream<String> mwan3() throws IOException {
        return names("mwan3", ".mwan3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validFixtureLoads(String name) throws Exception {
        Config c = ConfigLoader.load("mwan4", read("valid/" + name + ".uci"), null);
        Path expected = DIR.resolve("valid/" + name + ".warnings");
        List<String> want = Files.exists(expected) ? lines(expected) : List.of();
        assertThat(c.warnings().stream().map(Diagnostic::toString).toList()).containsExactlyElementsOf(want);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidFixtureReportsExactlyItsErrors(String name) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load("mwan4", read("invalid/" + name + ".uci"), null));
        assertThat(e).as("%s must not load", name).isNotNull();
        assertThat(e.errors().stream().map(Diagnostic::toString).toList())
                .containsExactlyElementsOf(lines(DIR.resolve("invalid/" + name + ".expected")));
        assertThat(e.errors()).allSatisfy(d -> assertThat(d.position().line()).isPositive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mwan3")
    void mwan3FixtureMigratesIdempotentlyAndValidates(String name) throws Exception {
        String expected = read("mwan3/" + name + ".expected");
        Mwan3Migration.Result r = Mwan3Migration.migrate("mwan3", read("mwan3/" + name + ".mwan3"));
        assertThat(r.text()).isEqualTo(expected);
        assertThat(r.changes()).isNotEmpty();
        Mwan3Migration.Result again = Mwan3Migration.migrate("mwan4", expected);
        assertThat(again.changes()).isEmpty();
        assertThat(again.text()).isEqualTo(expected);
        ConfigLoader.load("mwan4", expected, null);
        assertThatThrownBy(() -> ConfigLoader.load("mwan3", read("mwan3/" + name + ".mwan3"), null))
                .as("the unmigrated file must not pass as mwan4").isInstanceOf(ConfigException.class);
    }

    static String read(String rel) throws IOException {
        return Files.readString(DIR.resolve(rel));
    }

    static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p).stream().filter(l -> !l.isEmpty()).toList();
    }

    static Stream<String> names(String folder, String ext) throws IOException {
        try (Stream<Path> s = Files.list(DIR.resolve(folder))) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(ext))
                    .map(n -> n.substring(0, n.length() - ext.length())).sorted().toList();
            assertThat(names).as("fixtures in %s", folder).isNotEmpty();
            return names.stream();
        }
    }
}
