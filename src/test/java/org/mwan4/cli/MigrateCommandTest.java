package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrateCommandTest {
    static final Path FIXTURES = CheckCommandTest.REPO.resolve("test-fixtures/configs/mwan3");

    @TempDir
    Path tmp;

    @Test
    void printsMigratedTextAndListsChanges() throws Exception {
        Path in = FIXTURES.resolve("flush-and-quoting.mwan3");
        Cli r = Cli.run("migrate", in.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(FIXTURES.resolve("flush-and-quoting.expected")));
        assertThat(r.errLines()).startsWith(
                in + ":7: option flush_conntrack 'always' -> list flush_conntrack 'ifup' and 'ifdown'",
                in + ":8: option family 'ipv4' -> list family",
                in + ":14: option flush_conntrack 'never' removed (no flushing is the default)");
        assertThat(r.errLines()).hasSize(12).noneMatch(l -> l.contains("note:"));
        assertThat(Files.readString(in)).isEqualTo(Files.readString(in)).contains("config member"); // untouched
    }

    @Test
    void inPlaceRewritesAtomicallyKeepsModeAndIsIdempotent() throws Exception {
        Path f = tmp.resolve("mwan3");
        Files.copy(FIXTURES.resolve("openwrt-default.mwan3"), f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Cli r = Cli.run("migrate", "--in-place", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).last().isEqualTo("mwan4: " + f + ": 40 changes written");
        assertThat(Files.readString(f)).isEqualTo(Files.readString(FIXTURES.resolve("openwrt-default.expected")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("mwan3"); // no temp left
        }

        Cli again = Cli.run("migrate", "--in-place", f.toString());
        assertThat(again.code()).isZero();
        assertThat(again.errLines()).containsExactly("mwan4: " + f + ": nothing to migrate, it is already in mwan4 form");
        assertThat(Files.readString(f)).isEqualTo(Files.readString(FIXTURES.resolve("openwrt-default.expected")));
    }

    @Test
    void stdoutOfAnMwan4FileIsTheFileItself() throws Exception {
        Path f = CheckCommandTest.REPO.resolve("etc/config/mwan4");
        Cli r = Cli.run("migrate", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(f));
        assertThat(r.err()).contains("nothing to migrate");
    }

    @Test
    void inPlaceKeepsBytesThatAreNotUtf8() throws Exception {
        Path f = tmp.resolve("latin1");
        byte[] before = "# caf\u00e9\nconfig member 'm'\n\toption interface 'wan'\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(f, before);
        assertThat(Cli.run("migrate", "--in-place", f.toString()).code()).isZero();
        assertThat(Files.readAllBytes(f)).isEqualTo(
                "# caf\u00e9\nconfig route 'm'\n\toption interface 'wan'\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void inPlaceThroughASymlinkKeepsTheLink() throws Exception {
        Path real = tmp.resolve("real");
        Files.writeString(real, "config policy 'p'\n");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThat(Cli.run("migrate", "--in-place", link.toString()).code()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("config strategy 'p'\n");
    }

    @Test
    void aMigratedConfigWithProblemsSaysSo() throws Exception {
        Path f = tmp.resolve("m");
        Files.writeString(f, "config member 'm'\n\toption interface 'nowhere'\n");
        Cli r = Cli.run("migrate", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("note: the migrated config does not pass 'mwan4 check' yet:",
                f + ":2: route 'm': interface 'nowhere' is not defined");
    }

    @Test
    void syntaxErrorMigratesNothing() throws Exception {
        Path f = tmp.resolve("m");
        Files.writeString(f, "config member 'm\n");
        Cli r = Cli.run("migrate", "--in-place", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a readable UCI file, nothing migrated");
        assertThat(Files.readString(f)).isEqualTo("config member 'm\n");
    }

    @Test
    void missingFileAndExtraArgumentsAreUsageErrors() {
        assertThat(Cli.run("migrate", tmp.resolve("x").toString()).err()).startsWith("mwan4 migrate: config file '");
        Cli r = Cli.run("migrate", "a", "b");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("mwan4 migrate: unexpected argument 'b' (only one FILE)");
        assertThat(Cli.run("migrate", "--in-place=yes", "a").err()).startsWith("mwan4 migrate: option --in-place takes no value");
    }
}
