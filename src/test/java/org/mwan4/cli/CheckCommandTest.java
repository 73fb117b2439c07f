package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    static final Path REPO = Path.of(System.getProperty("mwan4.repo", "."));

    @TempDir
    Path tmp;

    @Test
    void validConfigPrintsOneSummaryLine() {
        String file = REPO.resolve("etc/config/mwan4").toString();
        Cli r = Cli.run("check", file);
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("mwan4: " + file + " OK: 2 interfaces (4 trackers), 5 routes, 5 strategies, 3 rules\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void warningsGoToStderrAndStillPass() throws Exception {
        Path f = write("c", "config interface 'wan'\n\toption enabled '1'\nconfig strategy 'empty'\n");
        Cli r = Cli.run("check", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("mwan4: " + f + " OK: 1 interface (1 tracker), 0 routes, 1 strategy, 0 rules\n");
        assertThat(r.errLines()).containsExactly(
                f + ":1: warning: interface 'wan': is enabled but no route uses it, so no traffic is sent through it",
                f + ":3: warning: strategy 'empty': has no routes, so its traffic always takes last_resort (unreachable)");
    }

    @Test
    void invalidConfigPrintsEveryErrorAndExits2() throws Exception {
        Path f = write("bad", """
                config interface 'wan'
                config route 'r'
                \toption interface 'wna'
                \toption weight '0'
                """);
        Cli r = Cli.run("check", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(
                f + ":3: route 'r': interface 'wna' is not defined (did you mean 'wan'?)",
                f + ":4: route 'r': weight 0 is out of range (1..1000)",
                "mwan4: " + f + ": 2 errors, config is not valid");
    }

    @Test
    void missingFileIsAClearUsageError() {
        Cli r = Cli.run("check", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("mwan4 check: config file '" + tmp.resolve("nope") + "' does not exist",
                "Run 'mwan4 check --help' for usage.");
    }

    @Test
    void directoryIsAClearUsageError() {
        Cli r = Cli.run("check", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is a directory, not a file");
    }

    @Test
    void missingArgumentIsNamed() {
        Cli r = Cli.run("check");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("mwan4 check: missing argument FILE\n");
    }

    @Test
    void unknownOptionIsNamedWithSuggestion() throws Exception {
        Cli r = Cli.run("check", "--netwrok", "x", write("c", "").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("mwan4 check: unknown option '--netwrok' (did you mean '--network'?)\n");
    }

    @Test
    void networkFileIsReadAndItsErrorsCarryItsPath() throws Exception {
        Path cfg = write("mwan4", "config interface 'wan'\n");
        Path net = write("network", "config interface 'wan'\n\toption device 'eth1'\n");
        assertThat(Cli.run("check", "--network", net.toString(), cfg.toString()).code()).isZero();
        Path broken = write("network2", "config interface 'wan\n");
        Cli r = Cli.run("check", "--network=" + broken, cfg.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith(broken + ":1: unterminated '");
        assertThat(Cli.run("check", "--network", tmp.resolve("none").toString(), cfg.toString()).err())
                .startsWith("mwan4 check: network file '" + tmp.resolve("none") + "' does not exist");
    }

    @Test
    void nonUtf8FileIsStillChecked() throws Exception {
        Path f = tmp.resolve("latin1");
        Files.write(f, "# caf\u00e9\nconfig interface 'wan'\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(Cli.run("check", f.toString()).code()).isZero();
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
