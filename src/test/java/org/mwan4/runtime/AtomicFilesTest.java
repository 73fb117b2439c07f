package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesCreatesDirectoriesAndSkipsUnchangedContent() throws Exception {
        Path f = dir.resolve("var/run/mwan4.json");
        assertThat(AtomicFiles.write(f, "{\"a\":1}\n")).isTrue();
        assertThat(Files.readString(f)).isEqualTo("{\"a\":1}\n");
        long before = Files.getLastModifiedTime(f).toMillis();
        assertThat(AtomicFiles.write(f, "{\"a\":1}\n")).as("same content is not rewritten").isFalse();
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(before);
        assertThat(AtomicFiles.write(f, "{\"a\":2}\n")).isTrue();
        assertThat(Files.readString(f)).isEqualTo("{\"a\":2}\n");
        try (var s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temp files left").containsExactly("mwan4.json");
        }
    }
}
