package org.mwan4.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mwan4.core.UseCgroups;

/** {@code GET /v1/interfaces/{name}/use} over a real Unix socket against {@link FakeDaemon}. */
@org.junit.jupiter.api.Timeout(60)
class UseEndpointTest {
    final ObjectMapper mapper = new ObjectMapper();
    @RegisterExtension
    final ServedFakeDaemon api = new ServedFakeDaemon();

    static UseCgroups ready(String... ifaces) {
        return new UseCgroups("/sys/fs/cgroup/mwan4", "mwan4", 2, new TreeSet<>(List.of(ifaces)), "");
    }

    @Test
    void aReadyInterfaceAnswersWithItsCgroupMarkAndMatch() throws IOException {
        api.daemon().useCgroups(ready("wan", "wanb"));
        UnixHttp.Response r = UnixHttp.get(api.socket(), "/v1/interfaces/wanb/use");
        assertThat(r.status()).isEqualTo(200);
        assertThat(mapper.readTree(r.body()).toString()).isEqualTo("{\"name\":\"wanb\",\"cgroup\":\"/sys/fs/cgroup/mwan4/wanb\","
                + "\"mark\":\"0x200\",\"match\":\"socket cgroupv2 level 2 \\\"mwan4/wanb\\\"\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown interface|wna|wan|404|unknown interface 'wna'; known: wan, wanb, lte, lan",
            "disabled interface|lan|wan|409|cannot run commands through lan: interface 'lan' is disabled in the config",
            "no cgroup made|lte|wan|409|cannot run commands through lte: the daemon has no cgroup for 'lte' (see its log)",
            "cgroup2 missing|wan||409|cannot run commands through wan: the daemon has not prepared cgroups for mwan4 use"})
    void otherwiseAnErrorSaysWhy(String name, String iface, String ready, int status, String error) throws IOException {
        api.daemon().useCgroups(ready == null ? UseCgroups.NONE : ready(ready.split(" ")));
        UnixHttp.Response r = UnixHttp.get(api.socket(), "/v1/interfaces/" + iface + "/use");
        assertThat(r.status()).isEqualTo(status);
        JsonNode e = mapper.readTree(r.body());
        assertThat(e.get("error").asText()).isEqualTo(error);
        assertThat(e.get("field").asText()).isEqualTo("name");
    }

    @Test
    void onlyGet() throws IOException {
        assertThat(UnixHttp.post(api.socket(), "/v1/interfaces/wan/use", "").status()).isEqualTo(405);
    }
}
