package org.mwan4.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    static Path repo() {
        return Path.of(System.getProperty("mwan4.repo", "."));
    }

    static Config load(String text) throws ConfigException {
        return ConfigLoader.load("mwan4", text, null);
    }

    /** The error lines of {@code text}, or an empty list when it loads. */
    static List<String> errorsOrEmpty(String text) {
        try {
            load(text);
            return List.of();
        } catch (ConfigException e) {
            return e.errors().stream().map(Diagnostic::toString).toList();
        }
    }

    static List<String> errors(String text) {
        try {
            load(text);
        } catch (ConfigException e) {
            return e.errors().stream().map(Diagnostic::toString).toList();
        }
        throw new AssertionError("expected errors for:\n" + text);
    }

    @Test
    void sampleConfigLoads() throws Exception {
        Config c = ConfigLoader.load("/etc/config/mwan4", Files.readString(repo().resolve("etc/config/mwan4")), null);
        assertThat(c.interfaces()).extracting(Interface::name).containsExactly("wan", "wanb");
        assertThat(c.interfaces()).extracting(Interface::id).containsExactly(1, 2);
        assertThat(c.interfaces().getFirst().families()).containsExactly(Family.IPV4, Family.IPV6);
        assertThat(c.interfaces().getFirst().tracking().targets(Family.IPV6)).hasSize(4);
        assertThat(c.strategies()).extracting(Strategy::name)
                .containsExactly("wan_only", "wanb_only", "balanced", "wan_wanb", "wanb_wan");
        assertThat(c.rules()).extracting(Rule::name).containsExactly("https", "default_rule_v4", "default_rule_v6");
        Rule https = c.rules().getFirst();
        assertThat(https.sticky()).isTrue();
        assertThat(https.proto()).isEqualTo("tcp");
        assertThat(https.destPort()).containsExactly(PortRange.single(443));
        assertThat(https.target()).isEqualTo(new Rule.Target.UseStrategy("balanced"));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void defaultsFollowMwan3() throws Exception {
        Config c = load("""
                config interface 'wan'
                config route 'r'
                \toption interface 'wan'
                config strategy 's'
                config rule 'x'
                \toption use_strategy 's'
                """);
        Interface i = c.interfaces().getFirst();
        assertThat(i.enabled()).isFalse();
        assertThat(i.families()).containsExactly(Family.IPV4);
        assertThat(i.initialState()).isEqualTo(Interface.InitialState.ONLINE);
        assertThat(i.flushConntrack()).isEmpty();
        assertThat(i.device()).isEmpty();
        Tracking t = i.tracking();
        assertThat(t.method()).isEqualTo(TrackMethod.PING);
        assertThat(List.of(t.reliability(), t.count(), t.size(), t.maxTtl(), t.down(), t.up(), t.window()))
                .containsExactly(1, 1, 56, 60, 5, 5, 20);
        assertThat(List.of(t.timeout(), t.interval(), t.failureInterval(), t.recoveryInterval(), t.holdTime()))
                .containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ofSeconds(10),
                        Duration.ofSeconds(10), Duration.ZERO);
        assertThat(t.keepFailureInterval()).isFalse();
        assertThat(t.quality()).isEqualTo(new Tracking.Quality(false, 1000, 500, 40, 10));
        assertThat(t.dnsQueryName()).isEqualTo("openwrt.org");
        assertThat(t.mode()).isEqualTo(Tracking.TrackMode.ROUNDS);
        Route r = c.routes().getFirst();
        assertThat(List.of(r.metric(), r.weight())).containsExactly(1, 1);
        assertThat(c.strategies().getFirst().lastResort()).isEqualTo(Strategy.LastResort.UNREACHABLE);
        Rule rule = c.rules().getFirst();
        assertThat(rule.proto()).isEqualTo("all");
        assertThat(rule.sticky()).isFalse();
        assertThat(rule.timeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(rule.logging()).isFalse();
        assertThat(rule.families()).isEmpty();
        assertThat(c.globals()).isEqualTo(new Globals(0x3F00, false, "notice", List.of(), false, Position.NONE));
    }

    @Test
    void intervalsDefaultToIntervalAndAcceptDecimals() throws Exception {
        Tracking t = load("""
                config interface 'wan'
                \toption interval '0.2'
                \toption timeout '0.15'
                \toption recovery_interval '3'
                """).interfaces().getFirst().tracking();
        assertThat(t.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(t.timeout()).isEqualTo(Duration.ofMillis(150));
        assertThat(t.failureInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(t.recoveryInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void idCountsDisabledInterfaces() throws Exception {
        Config c = load("""
                config interface 'a'
                \toption enabled '0'
                config interface 'b'
                \toption enabled '1'
                """);
        assertThat(c.iface("b").orElseThrow().id()).isEqualTo(2);
    }

    @Test
    void referenceErrorsAllAtOnceWithSuggestion() {
        assertThat(errors("""
                config interface 'wan'
                config route 'wan_m1_w3'
                \toption interface 'wna'
                config strategy 'balanced'
                \tlist use_route 'wan_m1_w4'
                config rule 'r'
                \toption use_strategy 'balance'
                """)).containsExactly(
                "mwan4:3: route 'wan_m1_w3': interface 'wna' is not defined (did you mean 'wan'?)",
                "mwan4:5: strategy 'balanced': use_route 'wan_m1_w4' is not a defined route (did you mean 'wan_m1_w3'?)",
                "mwan4:7: rule 'r': use_strategy 'balance' is not a defined strategy nor default, unreachable or"
                        + " blackhole (did you mean 'balanced'?)");
    }

    @Test
    void networkFileGivesDevices() throws Exception {
        Config c = ConfigLoader.load("mwan4", "config interface 'wan'\n", """
                config interface 'wan'
                \toption device 'eth1'
                config interface 'wanb'
                \toption ifname 'eth2'
                """);
        assertThat(c.networkDevices()).containsEntry("wan", "eth1").containsEntry("wanb", "eth2");
    }

    @Test
    void flushConntrackList() throws Exception {
        Config c = load("config interface 'wan'\n\tlist flush_conntrack 'ifup'\n\tlist flush_conntrack 'disconnected'\n");
        assertThat(c.interfaces().getFirst().flushConntrack()).isEqualTo(Set.of(HookAction.IFUP, HookAction.DISCONNECTED));
    }

    @Test
    void syntaxErrorIsConfigException() {
        assertThatThrownBy(() -> load("config interface 'wan\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mwan4:1:");
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
