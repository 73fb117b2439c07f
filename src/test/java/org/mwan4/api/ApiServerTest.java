package org.mwan4.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API's contract over a real Unix socket in a temp dir, against {@link FakeDaemon}. */
@org.junit.jupiter.api.Timeout(60)
class ApiServerTest {
    static final Clock CLOCK = Clock.fixed(ApiFixture.NOW, ZoneOffset.UTC);
    final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;
    FakeDaemon daemon;
    ApiServer server;
    Path socket;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeDaemon();
        socket = ApiServer.Options.defaultSocket(dir);
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), CLOCK);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonNode json(UnixHttp.Response r) throws IOException {
        assertThat(r.header("content-type")).startsWith("application/json");
        return mapper.readTree(r.body());
    }

    @Test
    void statusIsTheGoldenDocument() throws IOException {
        UnixHttp.Response r = UnixHttp.get(socket, "/v1/status");
        assertThat(r.status()).isEqualTo(200);
        String pretty = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(r.body())) + "\n";
        Golden.check("test-fixtures/api/status.json", pretty);
    }

    @Test
    void statusHasEveryPart() throws IOException {
        JsonNode s = json(UnixHttp.get(socket, "/v1/status"));
        assertThat(s.get("now").asText()).isEqualTo("2025-06-01T12:00:00Z");
        JsonNode wan = s.get("interfaces").get(0);
        assertThat(wan.get("name").asText()).isEqualTo("wan");
        assertThat(wan.get("mark").asText()).isEqualTo("0x100");
        JsonNode v4 = wan.get("families").get(0);
        assertThat(v4.get("status").asText()).isEqualTo("online");
        assertThat(v4.get("online_since").asText()).isEqualTo("2025-06-01T11:33:23Z");
        assertThat(v4.get("error").asInt()).isZero();
        assertThat(v4.get("targets").get(0).get("latency_ms").asDouble()).isEqualTo(12.5);
        JsonNode lte = s.get("interfaces").get(2);
        assertThat(lte.get("families").get(0).get("error").asInt()).as("no default route in table 3").isEqualTo(16);
        assertThat(s.get("connected").get("families").get(0).get("connected").toString()).contains("192.0.2.0/26");
        assertThat(s.get("rules")).hasSize(3);
        assertThat(s.get("strategies").get(0).get("name").asText()).isEqualTo("balanced");
    }

    @Test
    void strategiesShowTheActiveTierWithShares() throws IOException {
        JsonNode s = json(UnixHttp.get(socket, "/v1/strategies")).get("strategies");
        JsonNode balancedV4 = s.get(0).get("families").get(0);
        assertThat(balancedV4.get("family").asText()).isEqualTo("ipv4");
        assertThat(balancedV4.get("metric").asInt()).isEqualTo(1);
        assertThat(balancedV4.get("members")).hasSize(1);
        assertThat(balancedV4.get("members").get(0).get("interface").asText()).isEqualTo("wan");
        assertThat(balancedV4.get("members").get(0).get("percent").asInt()).isEqualTo(100);
        JsonNode wanbOnly = s.get(1).get("families").get(0);
        assertThat(wanbOnly.get("members")).isEmpty();
        assertThat(wanbOnly.get("fallback").asText()).isEqualTo("blackhole");
    }

    @Test
    void oneInterfaceAndUnknownOnesListTheKnown() throws IOException {
        JsonNode one = json(UnixHttp.get(socket, "/v1/interfaces/wanb"));
        assertThat(one.get("interface").get("families").get(0).get("status").asText()).isEqualTo("offline");
        UnixHttp.Response r = UnixHttp.get(socket, "/v1/interfaces/wna");
        assertThat(r.status()).isEqualTo(404);
        JsonNode e = json(r);
        assertThat(e.get("field").asText()).isEqualTo("name");
        assertThat(e.get("error").asText()).contains("unknown interface 'wna'");
        assertThat(e.get("known").toString()).isEqualTo("[\"wan\",\"wanb\",\"lte\",\"lan\"]");
        assertThat(UnixHttp.post(socket, "/v1/interfaces/wna/ifup", "").status()).isEqualTo(404);
        assertThat(daemon.commands).isEmpty();
    }

    @Test
    void interfaceNamesArePercentDecoded() throws IOException {
        UnixHttp.Response r = UnixHttp.get(socket, "/v1/interfaces/w%61n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(UnixHttp.get(socket, "/v1/interfaces/%zz").status()).isBetween(400, 404);
    }

    @Test
    void commandsReachTheDaemon() throws IOException {
        JsonNode up = json(UnixHttp.post(socket, "/v1/interfaces/wanb/ifup", ""));
        assertThat(up.get("ok").asBoolean()).isTrue();
        assertThat(UnixHttp.post(socket, "/v1/interfaces/wan/ifdown", "").status()).isEqualTo(200);
        assertThat(UnixHttp.post(socket, "/v1/reload", "").status()).isEqualTo(200);
        assertThat(daemon.commands).containsExactly("ifup wanb", "ifdown wan", "reload");
    }

    @Test
    void planShowsOpsOrEveryErrorWithLines() throws IOException {
        JsonNode ok = json(UnixHttp.post(socket, "/v1/plan", ApiFixture.CONFIG));
        assertThat(ok.get("valid").asBoolean()).isTrue();
        assertThat(ok.get("ops").toString()).contains("mwan4_iface_in_wanb_ipv4");
        String broken = "config interface 'wan'\n\toption enabled 'maybe'\n\nconfig route 'r'\n\toption interface 'wna'\n";
        JsonNode bad = json(UnixHttp.post(socket, "/v1/plan", broken));
        assertThat(bad.get("valid").asBoolean()).isFalse();
        assertThat(bad.get("errors").size()).isGreaterThanOrEqualTo(2);
        assertThat(bad.get("errors").findValuesAsText("line")).contains("2", "5");
        UnixHttp.Response empty = UnixHttp.post(socket, "/v1/plan", "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(json(empty).get("field").asText()).isEqualTo("body");
    }

    @Test
    void rulesCarryCounters() throws IOException {
        JsonNode rules = json(UnixHttp.get(socket, "/v1/rules")).get("rules");
        assertThat(rules.get(0).get("name").asText()).isEqualTo("https");
        assertThat(rules.get(0).get("family").asText()).isEqualTo("ipv4");
        assertThat(rules.get(0).get("packets").asLong()).isEqualTo(1234);
        assertThat(rules.get(0).get("bytes").asLong()).isEqualTo(567890);
    }

    @Test
    void desiredRoundTripsToThePlannersValue() throws IOException {
        String body = UnixHttp.get(socket, "/v1/desired").body();
        org.mwan4.api.view.DesiredView v = new Json().read(body, org.mwan4.api.view.DesiredView.class);
        assertThat(v.toDesired()).isEqualTo(ApiFixture.desired());
    }

    @Test
    void beforeAConfigNothingFailsHard() throws IOException {
        daemon.nothingLoaded();
        assertThat(json(UnixHttp.get(socket, "/v1/status")).get("interfaces")).isEmpty();
        assertThat(json(UnixHttp.get(socket, "/v1/strategies")).get("strategies")).isEmpty();
        assertThat(UnixHttp.get(socket, "/v1/desired").status()).isEqualTo(503);
        assertThat(UnixHttp.get(socket, "/v1/connected").status()).isEqualTo(200);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("unknown path", "GET", "/v2/status", 404, "path"),
                Arguments.of("root", "GET", "/", 404, "path"),
                Arguments.of("too deep", "GET", "/v1/interfaces/wan/ifup/now", 404, "path"),
                Arguments.of("POST to a GET endpoint", "POST", "/v1/status", 405, "method"),
                Arguments.of("GET on a command", "GET", "/v1/reload", 405, "method"),
                Arguments.of("DELETE", "DELETE", "/v1/interfaces/wan", 405, "method"),
                Arguments.of("GET ifup", "GET", "/v1/interfaces/wan/ifup", 405, "method"),
                Arguments.of("internal of no family", "GET", "/v1/internal?family=ipv5", 400, "family"),
                Arguments.of("internal in no format", "GET", "/v1/internal?format=xml", 400, "format"),
                Arguments.of("POST internal", "POST", "/v1/internal", 405, "method"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsGetJsonErrorsNamingTheField(String name, String method, String path, int status, String field)
            throws IOException {
        UnixHttp.Response r = UnixHttp.request(socket, method, path, method.equals("POST") ? "" : null);
        assertThat(r.status()).isEqualTo(status);
        assertThat(json(r).get("field").asText()).isEqualTo(field);
        if (status == 405) {
            assertThat(r.header("allow")).isIn("GET", "POST");
        }
    }

    @Test
    void oversizedBodiesGet413() throws IOException {
        String big = "#".repeat(ApiServer.Options.DEFAULT_MAX_BODY + 1);
        UnixHttp.Response declared = UnixHttp.post(socket, "/v1/plan", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(json(declared).get("field").asText()).isEqualTo("body");
        String chunk = Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
        UnixHttp.Response chunked = UnixHttp.raw(socket, ("POST /v1/plan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunk).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(UnixHttp.get(socket, "/v1/status").status()).isEqualTo(200);
    }

    @Test
    void garbageNeverStopsTheServer() throws IOException {
        List<byte[]> garbage = List.of("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                "HELLO\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                ("GET /" + "a".repeat(20000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                "POST /v1/plan HTTP/1.1\r\nContent-Length: abc\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {0, (byte) 0xff, 0x13, 0x37, '\r', '\n', '\r', '\n'});
        for (byte[] g : garbage) {
            try (var ch = UnixHttp.open(socket)) {
                ch.write(java.nio.ByteBuffer.wrap(g));
                ch.shutdownOutput();
                ch.read(java.nio.ByteBuffer.allocate(65536));
            }
        }
        assertThat(UnixHttp.get(socket, "/v1/status").status()).isEqualTo(200);
    }

    @Test
    void metricsAreThePrometheusText() throws IOException {
        UnixHttp.Response r = UnixHttp.get(socket, "/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/plain; version=0.0.4");
        assertThat(r.body()).contains("mwan4_tracker_status{interface=\"wan\",family=\"ipv4\",status=\"online\"} 1\n",
                "mwan4_tracker_status{interface=\"wanb\",family=\"ipv4\",status=\"online\"} 0\n",
                "mwan4_target_latency_ms{interface=\"wan\",family=\"ipv4\",target=\"192.0.2.1\"} 12.5\n",
                "mwan4_tracker_state_changes_total{interface=\"wanb\",family=\"ipv4\"} 5\n",
                "mwan4_apply_latency_ms_bucket{le=\"5\"} 9\n", "mwan4_apply_latency_ms_bucket{le=\"+Inf\"} 12\n",
                "mwan4_apply_latency_ms_sum 84.5\n", "mwan4_events_reduced_total 1500\n", "mwan4_event_log_bytes 65536\n");
    }

    @Test
    void manyClientsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 160; i++) {
                String path = List.of("/v1/status", "/v1/interfaces", "/v1/strategies", "/metrics").get(i % 4);
                answers.add(pool.submit(() -> UnixHttp.get(socket, path).status()));
            }
            for (Future<Integer> f : answers) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void socketIsGroupReadWriteOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
    }

    @Test
    void staleSocketIsReplacedLiveOneAndOtherFilesAreNot() throws IOException {
        assertThatThrownBy(() -> ApiServer.start(daemon, ApiServer.Options.at(socket), CLOCK))
                .isInstanceOf(IOException.class).hasMessageContaining("already serving on " + socket);
        server.close();
        // a crashed daemon leaves its socket file behind: bind a socket and close it without removing the file
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        server = ApiServer.start(daemon, ApiServer.Options.at(socket), CLOCK);
        assertThat(UnixHttp.get(socket, "/v1/status").status()).isEqualTo(200);
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> ApiServer.start(daemon, ApiServer.Options.at(file), CLOCK))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void closeRemovesTheSocket() {
        server.close();
        assertThat(socket).doesNotExist();
        server = new Noop().started();
    }

    @Test
    void postNeedsRootOrTheSocketGroup() throws IOException {
        server.close();
        ApiServer.Options o = ApiServer.Options.at(socket);
        o = new ApiServer.Options(socket, Optional.of("nogroup"), o.maxBodyBytes(), o.eventBuffer(), o.heartbeat(),
                Optional.of(Set.of()));
        server = ApiServer.start(daemon, o, CLOCK);
        UnixHttp.Response r = UnixHttp.post(socket, "/v1/reload", "");
        assertThat(r.status()).isEqualTo(403);
        assertThat(json(r).get("error").asText()).contains("may only read", "group nogroup");
        assertThat(UnixHttp.get(socket, "/v1/status").status()).as("reading stays open").isEqualTo(200);
        assertThat(daemon.commands).isEmpty();
    }

    /** A server stand-in for tests that close the real one early (so @AfterEach has something to close). */
    private final class Noop {
        ApiServer started() {
            try {
                return ApiServer.start(daemon, ApiServer.Options.at(dir.resolve("other.sock")), CLOCK);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
