package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.api.ApiClient;
import org.mwan4.api.ApiServer;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Tally;
import org.mwan4.lab.WithLab;

/**
 * The control API of a daemon running in the lab's router, over its real socket: rule counters rise with real
 * traffic ({@code mwan4 rules}), {@code mwan4 internal} shows the router's namespace as {@code ip} prints it, and the
 * status carries uptime and online time.
 */
@WithLab
@Tag("e2e")
class ControlE2ETest {
    private static Running mwan4;
    private static ApiServer api;
    private static Path dir;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start(Lab lab) throws IOException {
        String rule = """
                config rule 'to_target1'
                	option dest_ip '%s'
                	option use_strategy 'via_wan2'

                """.formatted(lab.internet().targets(Family.IPV4).get(1));
        mwan4 = Running.start(lab, Uci.wans(lab, List.of(), Uci.ROUTES + rule + Uci.everything("balanced")));
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        mwan4.awaitStatus("wan2", Family.IPV4, TrackerStatus.ONLINE);
        dir = Files.createTempDirectory("mwan4-control-e2e-");
        api = ApiServer.start(mwan4.daemon.control(), ApiServer.Options.at(dir.resolve("mwan4.sock")), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws IOException {
        if (api != null) {
            api.close();
        }
        if (mwan4 != null) {
            mwan4.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    static JsonNode get(String path) throws Exception {
        ApiClient.Response r = new ApiClient(api.socket()).get(path);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static JsonNode rule(String name) throws Exception {
        for (JsonNode r : get("/v1/rules").get("rules")) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + name + " in /v1/rules");
    }

    @Test
    void ruleCountersRiseWithNewConnections(Lab lab) throws Exception {
        JsonNode before = rule("to_target1");
        assertThat(before.get("chain").asText()).isEqualTo("mwan4_rules_ipv4");
        assertThat(before.get("rule").asText()).contains(" counter jump mwan4_strategy_via_wan2_ipv4").doesNotContain("packets");
        IpAddress target = lab.internet().targets(Family.IPV4).get(1);
        Tally t = lab.lanClient().tally(target, 20);
        assertThat(t.count("wan2")).as("%s", t).isEqualTo(20);
        JsonNode after = rule("to_target1");
        // the first packet of each new connection passes the rules (later ones have their mark from conntrack)
        assertThat(after.get("packets").asLong() - before.get("packets").asLong()).isGreaterThanOrEqualTo(20);
        assertThat(after.get("bytes").asLong()).isGreaterThan(before.get("bytes").asLong());
        long all = rule("all_v4").get("packets").asLong();
        lab.lanClient().tally(lab.internet().server(Family.IPV4), 10);
        assertThat(rule("all_v4").get("packets").asLong() - all).as("the catch-all counts what it takes").isGreaterThanOrEqualTo(10);
    }

    @Test
    void internalShowsTheRoutersNamespaceAsIpPrintsIt(Lab lab) throws Exception {
        JsonNode v4 = get("/v1/internal?family=ipv4");
        List<String> devices = new ArrayList<>();
        v4.get("links").forEach(l -> devices.add(l.get("name").asText()));
        assertThat(devices).contains("wan1", "wan2");
        List<String> tables = new ArrayList<>();
        v4.get("tables").forEach(t -> tables.add(t.get("name").asText()));
        assertThat(tables).startsWith("main", "1", "2");
        for (JsonNode t : v4.get("tables")) {
            if (t.get("routes").isEmpty()) {
                continue; // a configured table without routes does not exist for ip
            }
            assertThat(texts(t.get("routes"))).as("table %s", t.get("name").asText()).containsExactlyElementsOf(
                    lines(lab.router().exec("ip", "-4", "route", "show", "table", t.get("name").asText()).run()));
        }
        List<String> rules = new ArrayList<>();
        v4.get("rules").forEach(r -> rules.add(r.get("text").asText()));
        assertThat(rules).containsExactlyElementsOf(lines(lab.router().exec("ip", "-4", "rule", "show").run()));
        assertThat(rules).contains("2001:\tfrom all fwmark 0x100/0x3f00 lookup 1");
        List<String> nft = new ArrayList<>();
        v4.get("nft").forEach(o -> nft.add(o.get("name").asText()));
        assertThat(nft).contains("mwan4_connected_ipv4", "mwan4_rules_ipv4", "mwan4_prerouting").doesNotContain("mwan4_rules_ipv6");

        String text = new ApiClient(api.socket()).get("/v1/internal?family=ipv6&format=text").body();
        assertThat(text).contains("Output of \"ip -6 rule show\":\n", "2001:\tfrom all fwmark 0x100/0x3f00 lookup 1\n",
                "\tchain mwan4_rules_ipv6 {");
    }

    @Test
    void statusShowsUptimeAndOnlineTime() throws Exception {
        JsonNode wan1 = get("/v1/interfaces/wan1").get("interface").get("families").get(0);
        assertThat(wan1.get("status").asText()).isEqualTo("online");
        assertThat(wan1.get("up_since").isNull()).isFalse();
        assertThat(wan1.get("uptime_seconds").asLong()).isGreaterThanOrEqualTo(wan1.get("online_seconds").asLong());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> lines(String out) {
        return Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
