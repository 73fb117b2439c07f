package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.api.ApiFixture;
import org.mwan4.api.ApiServer;
import org.mwan4.api.FakeDaemon;
import org.mwan4.api.Golden;
import org.mwan4.runtime.ControlPlane.DaemonEvent;

/** The client commands against a real socket served by {@link ApiServer} over {@link FakeDaemon}. */
@Timeout(120)
class ClientCommandsTest {
    @TempDir
    Path dir;
    FakeDaemon daemon;
    ApiServer server;
    Path socket;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeDaemon();
        socket = dir.resolve("var/run/mwan4.sock");
        server = ApiServer.start(daemon, ApiServer.Options.at(socket),
                java.time.Clock.fixed(ApiFixture.NOW, java.time.ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Commands commands(Map<String, String> env) {
        Commands c = new Commands();
        c.add(new StatusCommand(env, false));
        c.add(ShowCommand.interfaces(env));
        c.add(ShowCommand.strategies(env));
        c.add(ShowCommand.rules(env));
        c.add(ShowCommand.connected(env));
        c.add(new InterfaceCommand(true, env));
        c.add(new InterfaceCommand(false, env));
        c.add(new ReloadCommand(env));
        c.add(new PlanCommand(env));
        c.add(new InternalCommand(env));
        return c;
    }

    Cli run(String... args) {
        return Cli.run(commands(Map.of(DaemonCall.ENV, socket.toString())), args);
    }

    static Stream<Arguments> textCommands() {
        return Stream.of("status", "interfaces", "strategies", "rules", "connected").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textCommands")
    void printsMwan3Text(String command) throws IOException {
        Cli c = run(command);
        assertThat(c.err()).isEmpty();
        assertThat(c.code()).isZero();
        Golden.check("test-fixtures/cli/" + command + ".txt", c.out());
    }

    @ParameterizedTest(name = "{0} --json")
    @MethodSource("textCommands")
    void printsTheDaemonsJson(String command) {
        Cli c = run(command, "--json");
        assertThat(c.code()).isZero();
        assertThat(c.out()).startsWith("{").endsWith("}\n");
    }

    @Test
    void theStatusLineIsMwan3s() {
        assertThat(run("interfaces").out()).contains(
                " interface wan is online and tracking is active (online 00h:26m:37s, uptime 48h:32m:45s)\n",
                " interface wanb is offline and tracking is active (offline 00h:01m:35s, uptime 00h:10m:00s)\n",
                " interface lte is connecting and tracking is active (uptime 00h:00m:12s)\n",
                " interface lan is disabled and tracking is down\n");
        assertThat(run("strategies").out()).contains("balanced:\n wan (100%)\n", "wanb_only:\n blackhole\n");
    }

    @Test
    void internalPrintsWhatIpAndNftWouldPrint() throws IOException {
        Cli v4 = run("internal");
        assertThat(v4.err()).isEmpty();
        assertThat(v4.code()).isZero();
        Golden.check("test-fixtures/cli/internal.txt", v4.out());
        Cli v6 = run("internal", "ipv6");
        assertThat(v6.out()).contains("Output of \"ip -6 addr show\":\n", "inet6 2001:db8:1::2/64 scope global\n",
                "chain mwan4_rules_ipv6 {");
        Cli json = run("internal", "ipv6", "--json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).startsWith("{").contains("\"family\" : \"ipv6\"");
    }

    @Test
    void internalNamesABadFamilyAndNeedsTheDaemon() {
        Cli bad = run("internal", "ipv5");
        assertThat(bad.code()).isEqualTo(ExitCode.INVALID);
        assertThat(bad.err()).contains("the family argument must be ipv4 or ipv6, not 'ipv5'");
        Cli two = run("internal", "ipv4", "ipv6");
        assertThat(two.code()).isEqualTo(ExitCode.INVALID);
        assertThat(two.err()).contains("internal takes one family (ipv4 or ipv6), not 2 arguments: ipv4 ipv6");
        Path none = dir.resolve("nowhere/mwan4.sock");
        Cli gone = Cli.run(commands(Map.of()), "internal", "--socket", none.toString());
        assertThat(gone.code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(gone.err()).isEqualTo("mwan4 is not running (no socket at " + none + ")\n");
        daemon.noKernel = true;
        Cli dry = run("internal");
        assertThat(dry.code()).isEqualTo(ExitCode.INTERNAL);
        assertThat(dry.err()).isEqualTo("mwan4 internal: cannot read the kernel for ipv4: this daemon has no kernel to show (dry run)\n");
    }

    @Test
    void aMissingSocketSaysNotRunningWithExit3() {
        Path none = dir.resolve("nowhere/mwan4.sock");
        Cli c = Cli.run(commands(Map.of()), "status", "--socket", none.toString());
        assertThat(c.code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(c.err()).isEqualTo("mwan4 is not running (no socket at " + none + ")\n");
    }

    @Test
    void aLeftoverSocketNobodyAnswersOnIsNotRunningToo() throws IOException {
        Path stale = dir.resolve("stale.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        Cli c = Cli.run(commands(Map.of()), "interfaces", "--socket", stale.toString());
        assertThat(c.code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(c.err()).startsWith("mwan4 is not running (nothing answers on " + stale);
    }

    @Test
    void theSocketIsFoundBySocketThenEnvironmentThenRoot() {
        Map<String, String> wrongEnv = Map.of(DaemonCall.ENV, dir.resolve("wrong.sock").toString());
        assertThat(Cli.run(commands(wrongEnv), "strategies", "--socket", socket.toString()).code()).isZero();
        assertThat(Cli.run(commands(wrongEnv), "strategies").code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(Cli.run(commands(Map.of()), "strategies", "--root", dir.toString()).code()).isZero();
        Cli fromRoot = Cli.run(commands(Map.of()), "strategies", "--root", dir.resolve("elsewhere").toString());
        assertThat(fromRoot.err()).contains("no socket at " + dir.resolve("elsewhere/var/run/mwan4.sock"));
    }

    @Test
    void ifupAndIfdownReachTheDaemonUnknownOnesListTheKnown() {
        assertThat(run("ifup", "wanb").code()).isZero();
        assertThat(run("ifdown", "wan").out()).isEqualTo("interface wan taken down\n");
        Cli bad = run("ifup", "wna");
        assertThat(bad.code()).isEqualTo(ExitCode.INVALID);
        assertThat(bad.err()).isEqualTo("mwan4 ifup: unknown interface 'wna'\nknown interfaces: wan, wanb, lte, lan\n");
        assertThat(daemon.commands).containsExactly("ifup wanb", "ifdown wan");
        assertThat(run("ifup").code()).isEqualTo(ExitCode.INVALID);
    }

    @Test
    void planPrintsOpsOrErrorsWithTheUsersFileName() throws IOException {
        Path good = dir.resolve("good");
        Files.writeString(good, ApiFixture.CONFIG);
        Cli ok = run("plan", good.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("add chain mwan4_iface_in_wan_ipv4\n");
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "config interface 'wan'\n\toption enabled 'maybe'\n");
        Cli no = run("plan", bad.toString());
        assertThat(no.code()).isEqualTo(ExitCode.INVALID);
        assertThat(no.err()).startsWith(bad + ":2: ").contains("nothing would be applied");
        assertThat(run("plan", dir.resolve("missing").toString()).code()).isEqualTo(ExitCode.INVALID);
    }

    @Test
    void reload() {
        Cli c = run("reload");
        assertThat(c.code()).isZero();
        assertThat(c.out()).isEqualTo("config reloaded: nothing changed\n");
    }

    @Test
    void watchRedrawsOnEveryStatusChange() throws Exception {
        CompletableFuture<Cli> watching = CompletableFuture.supplyAsync(() -> run("status", "--watch", "--updates", "2"));
        for (int i = 0; i < 3000 && daemon.subscribers() < 2; i++) {
            Thread.sleep(10);
        }
        daemon.emit(new DaemonEvent.StatusChanged(7, Instant.parse("2025-06-01T12:00:05Z"), ApiFixture.status()));
        Cli c = watching.get(60, TimeUnit.SECONDS);
        assertThat(c.code()).isZero();
        assertThat(c.out().split("mwan4 status at ", -1)).hasSize(3);
        assertThat(c.out()).contains("Interface status (ipv4):", "Current ipv4 strategies:",
                " interface wan is online and tracking is active (online 00h:26m:37s, uptime 48h:32m:45s)\n");
    }

    @Test
    void watchEndsWithExit3WhenTheDaemonGoesAway() throws Exception {
        CompletableFuture<Cli> watching = CompletableFuture.supplyAsync(() -> run("status", "--watch"));
        for (int i = 0; i < 3000 && daemon.subscribers() < 2; i++) {
            Thread.sleep(10);
        }
        server.close();
        Cli c = watching.get(60, TimeUnit.SECONDS);
        assertThat(c.code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(c.err()).contains("mwan4 went away");
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), java.time.Clock.systemUTC());
    }
}
