package org.mwan4.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.api.ApiFixture;
import org.mwan4.api.ApiServer;
import org.mwan4.api.FakeDaemon;
import org.mwan4.api.Golden;
import org.mwan4.plan.Planner;

/** {@code mwan4 explain} from the daemon's plan over the socket and from a replayed event log. */
@Timeout(120)
class ExplainCommandTest {
    @TempDir
    Path dir;
    FakeDaemon daemon;
    ApiServer server;
    Path socket;
    Path config;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeDaemon();
        daemon.desired(Planner.plan(ApiFixture.state()));
        socket = dir.resolve("mwan4.sock");
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), java.time.Clock.systemUTC());
        config = dir.resolve("mwan4");
        Files.writeString(config, ApiFixture.CONFIG);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Cli run(String... args) {
        Commands c = new Commands();
        c.add(new ExplainCommand(Map.of(DaemonCall.ENV, socket.toString())));
        return Cli.run(c, args);
    }

    @Test
    void explainsFromTheDaemonsPlan() throws IOException {
        // --no-kernel: the sets the plan does not fill stay unknown instead of being read from this machine's kernel
        Cli c = run("explain", "--config", config.toString(), "--src", "198.51.100.20", "--dst", "192.0.2.200",
                "--proto", "tcp", "--sport", "40000", "--dport", "443", "--iif", "br-lan", "--no-kernel");
        assertThat(c.err()).isEmpty();
        assertThat(c.code()).isZero();
        Golden.check("test-fixtures/cli/explain-https.txt", c.out());
        assertThat(c.out()).contains("rule 'https'", "strategy balanced", "leaves through eth0 via 192.0.2.1 (wan)");
    }

    @Test
    void jsonGivesEachWayWithItsDeviceShareAndIpRule() throws Exception {
        Cli c = run("explain", "--config", config.toString(), "--src", "198.51.100.20", "--dst", "192.0.2.200",
                "--proto", "tcp", "--sport", "40000", "--dport", "443", "--iif", "br-lan", "--no-kernel", "--json");
        assertThat(c.err()).isEmpty();
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.out());
        assertThat(j.path("hook").asText()).isEqualTo("mwan4_prerouting");
        assertThat(j.path("flow").asText()).isEqualTo("tcp 198.51.100.20:40000 -> 192.0.2.200:443 arriving on br-lan");
        assertThat(j.path("outcomes")).hasSize(1);
        assertThat(j.path("outcomes").path(0).path("device").asText()).isEqualTo("eth0");
        assertThat(j.path("outcomes").path(0).path("probability").asDouble()).isEqualTo(1.0);
        assertThat(j.path("outcomes").path(0).path("ip_rule").asText()).isEqualTo("pref 2001 fwmark 0x100/0x3f00 lookup 1");
    }

    @Test
    void explainsAReplayedEventLogWithoutTheDaemon() throws IOException {
        server.close();
        Cli c = run("explain", "--events", Golden.repo().resolve("test-fixtures/events/wan-failover.jsonl").toString(),
                "--src", "192.0.2.10", "--dst", "203.0.113.80", "--proto", "udp", "--dport", "53");
        assertThat(c.err()).isEmpty();
        assertThat(c.code()).isZero();
        Golden.check("test-fixtures/cli/explain-events.txt", c.out());
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), java.time.Clock.systemUTC());
    }

    @Test
    void needsTheDaemonOrALog() {
        server.close();
        Cli c = run("explain", "--config", config.toString(), "--src", "198.51.100.20", "--dst", "192.0.2.200");
        assertThat(c.code()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(c.err()).isEqualTo("mwan4 is not running (no socket at " + socket + ")\n");
        try {
            server = ApiServer.start(daemon, ApiServer.Options.at(socket), java.time.Clock.systemUTC());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(run("explain", "--dst", "192.0.2.1").err()).contains("missing --src IP");
        assertThat(run("explain", "--src", "192.0.2.1", "--dst", "2001:db8::1").err()).contains("must both be IPv4 or both IPv6");
        assertThat(run("explain", "--src", "192.0.2.1", "--dst", "192.0.2.2", "--dport", "70000").err())
                .contains("'70000' is not a port");
        assertThat(run("explain", "--src", "x", "--dst", "192.0.2.2").code()).isEqualTo(ExitCode.INVALID);
    }
}
