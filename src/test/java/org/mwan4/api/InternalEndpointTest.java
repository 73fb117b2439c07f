package org.mwan4.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET /v1/internal over a real socket against {@link FakeDaemon}: JSON and text forms, defaults, no kernel. */
@org.junit.jupiter.api.Timeout(60)
class InternalEndpointTest {
    final ObjectMapper mapper = new ObjectMapper();

    @RegisterExtension
    final ServedFakeDaemon api = new ServedFakeDaemon();

    @Test
    void theJsonIsTheGoldenDocument() throws IOException {
        UnixHttp.Response r = UnixHttp.get(api.socket(), "/v1/internal?family=ipv4");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("application/json");
        Golden.check("test-fixtures/api/internal-ipv4.json",
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(r.body())) + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no family is ipv4     | /v1/internal                             | ipv4
            ipv6                  | /v1/internal?family=ipv6                 | ipv6
            json asked for        | /v1/internal?family=ipv6&format=json     | ipv6
            """)
    void theFamilyParameterChoosesTheDump(String name, String path, String family) throws IOException {
        JsonNode v = mapper.readTree(UnixHttp.get(api.socket(), path).body());
        assertThat(v.get("family").asText()).isEqualTo(family);
        assertThat(v.get("now").asText()).isEqualTo(ApiFixture.NOW.toString());
        assertThat(v.get("nft").get(0).get("name").asText()).isEqualTo("mwan4_connected_" + family);
        assertThat(v.get("rules").get(0).get("text").asText()).isEqualTo("0:\tfrom all lookup local");
    }

    @Test
    void theTextFormIsPlainText() throws IOException {
        UnixHttp.Response r = UnixHttp.get(api.socket(), "/v1/internal?family=ipv4&format=text");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/plain");
        assertThat(r.body()).contains("Output of \"ip -4 rule show\":\n0:\tfrom all lookup local\n",
                "Output of \"ip -4 route show table 2\":\n(none)\n");
    }

    @Test
    void withoutAKernelTheAnswerIs503AndSaysWhy() throws IOException {
        api.daemon().noKernel = true;
        UnixHttp.Response r = UnixHttp.get(api.socket(), "/v1/internal?family=ipv4");
        assertThat(r.status()).isEqualTo(503);
        assertThat(mapper.readTree(r.body()).get("error").asText())
                .isEqualTo("cannot read the kernel for ipv4: this daemon has no kernel to show (dry run)");
    }
}
