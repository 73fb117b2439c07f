package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.api.ApiFixture;
import org.mwan4.api.ApiServer;
import org.mwan4.api.FakeDaemon;
import org.mwan4.core.UseCgroups;

/**
 * {@code mwan4 use} against a real socket served over {@link FakeDaemon}, whose cgroup directory is a temp directory:
 * the shell writes CMD's pid into its {@code cgroup.procs} exactly as into a cgroup (the real cgroup and the traffic
 * are {@code UseE2ETest}'s). CMD's stdout is this JVM's, so CMDs here write files.
 */
@Timeout(60)
class UseCommandTest {
    @TempDir
    Path dir;
    FakeDaemon daemon;
    ApiServer server;
    Path socket;
    Path cgroups;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeDaemon();
        cgroups = Files.createDirectories(dir.resolve("cgroup/mwan4"));
        Files.createDirectories(cgroups.resolve("wan"));
        daemon.useCgroups(new UseCgroups(cgroups.toString(), "mwan4", 2, new TreeSet<>(List.of("wan", "wanb")), ""));
        socket = dir.resolve("var/run/mwan4.sock");
        server = ApiServer.start(daemon, ApiServer.Options.at(socket),
                java.time.Clock.fixed(ApiFixture.NOW, java.time.ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Cli run(String... args) {
        Commands c = new Commands();
        c.add(new UseCommand(Map.of(DaemonCall.ENV, socket.toString())));
        return Cli.run(c, args);
    }

    @Test
    void cmdIsInTheCgroupBeforeItStarts() throws IOException {
        Path out = dir.resolve("pid");
        Cli c = run("use", "wan", "sh", "-c", "echo $$ > \"$0\"", out.toString());
        assertThat(c.code()).as(c.err()).isZero();
        String pid = Files.readString(out).strip();
        assertThat(pid).matches("[0-9]+");
        assertThat(Files.readString(cgroups.resolve("wan/cgroup.procs")).strip()).as("the pid CMD runs as").isEqualTo(pid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exit 0|exit 0|0",
            "exit 7|exit 7|7",
            "exit 255|exit 255|255",
            "killed by SIGTERM|kill -TERM $$|143",
            "killed by SIGKILL|kill -KILL $$|137"})
    void exitsWithCmdsExitCode(String name, String script, int code) {
        assertThat(run("use", "wan", "sh", "-c", script).code()).isEqualTo(code);
    }

    @Test
    void argumentsAfterIfaceAreCmdsEvenWhenTheyLookLikeOptions() throws IOException {
        Path out = dir.resolve("args");
        Cli c = run("use", "--socket", socket.toString(), "wan", "sh", "-c", "printf '%s|' \"$@\" > " + out, "x", "--help",
                "--", "--socket");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).isEmpty();
        assertThat(Files.readString(out)).isEqualTo("--help|--|--socket|");
    }

    @Test
    void helpBeforeIfaceIsMwan4s() {
        Cli c = Cli.run(Commands.standard(), "use", "--help");
        assertThat(c.code()).isZero();
        assertThat(c.out()).startsWith("Usage: mwan4 use [OPTIONS] IFACE CMD [ARG...]").contains("CMD's exit code");
        assertThat(Cli.run(Commands.standard(), "--help").out()).contains("  use ").contains("run a command whose traffic"
                + " leaves through one interface");
    }

    @Test
    void aMissingCmdIsAUsageError() {
        Cli c = run("use", "wan");
        assertThat(c.code()).isEqualTo(ExitCode.INVALID);
        assertThat(c.err()).startsWith("mwan4 use: missing CMD: the command to run through wan\n");
        assertThat(run("use").err()).contains("IFACE");
    }

    @Test
    void anUnknownInterfaceListsTheKnownOnes() {
        Cli c = run("use", "wna", "true");
        assertThat(c.code()).isEqualTo(ExitCode.INVALID);
        assertThat(c.err()).isEqualTo("mwan4 use: unknown interface 'wna'\nknown interfaces: wan, wanb, lte, lan\n");
    }

    @Test
    void anInterfaceWithoutCgroupSaysWhy() {
        Cli c = run("use", "lan", "true");
        assertThat(c.code()).isEqualTo(ExitCode.INTERNAL);
        assertThat(c.err()).isEqualTo("mwan4 use: cannot run commands through lan: interface 'lan' is disabled in the config\n");
        daemon.useCgroups(new UseCgroups("", "", 0, new TreeSet<>(), "cgroup2 is not mounted (no cgroup2 line in /proc/self/mountinfo)"));
        assertThat(run("use", "wan", "true").err()).isEqualTo("mwan4 use: cannot run commands through wan: cgroup2 is not"
                + " mounted (no cgroup2 line in /proc/self/mountinfo)\n");
    }

    @Test
    void aCgroupThatCannotBeEnteredStopsCmdWith126() throws IOException {
        Path ran = dir.resolve("ran");
        // wanb's directory does not exist: the shell cannot write its cgroup.procs
        Cli c = run("use", "wanb", "touch", ran.toString());
        assertThat(c.code()).isEqualTo(UseCommand.CANNOT_ENTER);
        assertThat(ran).doesNotExist();
    }

    @Test
    void aCmdThatDoesNotExistIs127() {
        assertThat(run("use", "wan", "/nonexistent/mwan4t-cmd").code()).isEqualTo(127);
    }

    @Test
    void aDaemonThatIsNotRunningIsExit3() {
        Path none = dir.resolve("nowhere/mwan4.sock");
        Commands c = new Commands();
        c.add(new UseCommand(Map.of()));
        Cli r = Cli.run(c, "use", "--socket", none.toString(), "wan", "true");
        assertThat(r.code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(r.err()).isEqualTo("mwan4 is not running (no socket at " + none + ")\n");
        Cli byRoot = Cli.run(c, "use", "--root", dir.resolve("elsewhere").toString(), "wan", "true");
        assertThat(byRoot.err()).isEqualTo("mwan4 is not running (no socket at " + dir.resolve("elsewhere/var/run/mwan4.sock") + ")\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "iface only|wan|1",
            "iface and cmd|wan true|1",
            "options first|--socket s wan true|3",
            "option with =|--socket=s wan true|2",
            "double dash|-- wan true|2",
            "no iface|--root /r|2"})
    void ownArgumentsEndAtIface(String name, String args, int own) {
        assertThat(UseCommand.split(List.of(args.split(" ")))).isEqualTo(own);
    }
}
