package org.mwan4.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files under test-fixtures/: compared exactly; rewritten only with {@code -Dgolden.update=true}. */
public final class Golden {
    private Golden() {}

    public static Path repo() {
        return Path.of(System.getProperty("mwan4.repo", "."));
    }

    public static void check(String relative, String actual) throws IOException {
        Path file = repo().resolve(relative);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(file).as("golden file %s is missing; create it with -Dgolden.update=true and read it", relative).exists();
        assertThat(actual).as("output differs from golden file %s (regenerate with -Dgolden.update=true and read the diff)",
                relative).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
