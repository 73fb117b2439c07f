package org.mwan4.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the fixtures' options turn into, and the boundaries of the checks. */
class ConfigValuesTest {

    static Config fixture(String name) throws Exception {
        return ConfigLoader.load("mwan4", ConfigFixturesTest.read("valid/" + name + ".uci"), null);
    }

    @Test
    void mwan3SpellingsMeanWhatMwan3MeantByThem() throws Exception {
        Config c = fixture("mwan3-spellings");
        assertThat(c.globals()).isEqualTo(new Globals(0x3F00, true, "info", List.of(100, 200), false, c.globals().position()));
        Interface wan = c.iface("wan").orElseThrow();
        assertThat(wan.enabled()).isTrue();
        assertThat(wan.tracking().targets()).extracting(IpAddress::toString).containsExactly("192.0.2.1", "198.51.100.1");
        assertThat(wan.flushConntrack()).containsExactly(HookAction.IFDOWN);
        assertThat(wan.tracking().quality().enabled()).isTrue();
        assertThat(wan.tracking().keepFailureInterval()).isTrue();
        assertThat(wan.initialState()).isEqualTo(Interface.InitialState.OFFLINE);
        assertThat(c.iface("wanb").orElseThrow().enabled()).isFalse();
        assertThat(c.strategies().getFirst().routes()).containsExactly("wan_m1");
        assertThat(c.strategies().getFirst().lastResort()).isEqualTo(Strategy.LastResort.DEFAULT);
        Rule many = c.rules().get(0);
        assertThat(many.srcIp()).extracting(Cidr::toString).containsExactly("192.0.2.0/25", "192.0.2.128/25");
        assertThat(many.proto()).isEqualTo("tcp");
        assertThat(many.destPort()).containsExactly(new PortRange(80, 80), new PortRange(443, 443), new PortRange(1000, 2000));
        Rule lists = c.rules().get(1);
        assertThat(lists.destPort()).containsExactly(new PortRange(53, 53), new PortRange(5000, 5100));
        assertThat(lists.srcPort()).containsExactly(new PortRange(123, 123));
        assertThat(lists.families()).isEmpty();
        Rule anonymous = c.rules().get(2);
        assertThat(anonymous.name()).isEqualTo("cfg0892bd"); // 8th section, djbhash("rule")
        assertThat(anonymous.proto()).isEqualTo("udp");
        assertThat(anonymous.ipset()).contains("streaming_v4");
        assertThat(anonymous.target()).isEqualTo(new Rule.Target.Unreachable());
    }

    @Test
    void syntaxCornersReadLikeLibuciReadsThem() throws Exception {
        Config c = fixture("syntax-corners");
        Interface wan = c.iface("wan").orElseThrow();
        assertThat(wan.enabled()).isTrue();
        assertThat(wan.tracking().count()).isEqualTo(1); // after the ';'
        assertThat(wan.tracking().up()).isEqualTo(3);
        assertThat(wan.tracking().down()).isEqualTo(3); // "\3" is 3
        assertThat(wan.tracking().timeout()).isEqualTo(Duration.ofSeconds(2)); // 2#comment
        Route r = c.routes().getFirst();
        assertThat(r.name()).isEqualTo("wan_m1");
        assertThat(r.iface()).isEqualTo("wan");
        assertThat(r.weight()).isEqualTo(10); // 1\<newline>0
    }

    @Test
    void trackingExtensions() throws Exception {
        Config c = fixture("tracking-extensions");
        Tracking fiber = c.iface("fiber").orElseThrow().tracking();
        assertThat(fiber.mode()).isEqualTo(Tracking.TrackMode.CONTINUOUS);
        assertThat(fiber.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(fiber.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(fiber.window()).isEqualTo(50);
        assertThat(fiber.holdTime()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.iface("fiber").orElseThrow().device()).contains("eth1");
        Tracking lte = c.iface("lte").orElseThrow().tracking();
        assertThat(lte.method()).isEqualTo(TrackMethod.NSLOOKUP);
        assertThat(lte.dnsQueryName()).isEqualTo("example.org");
        Tracking cable = c.iface("cable").orElseThrow().tracking();
        assertThat(cable.method()).isEqualTo(TrackMethod.HTTPING);
        assertThat(cable.httpingSsl()).isTrue();
        assertThat(c.iface("cable").orElseThrow().device()).contains("eth2.10");
    }

    @ParameterizedTest(name = "{0} name of {1} characters: {2}")
    @CsvSource({
        "strategy, 235, ok", "strategy, 236, error",
        "rule, 228, ok", "rule, 229, error",
        "interface, 235, ok", "interface, 236, error",
    })
    void namesFitNftNames(String type, int length, String outcome) {
        String name = "n" + "x".repeat(length - 1);
        String text = switch (type) {
            case "strategy" -> "config strategy '" + name + "'\n";
            case "rule" -> "config rule '" + name + "'\n\toption use_strategy 'default'\n";
            default -> "config interface '" + name + "'\n";
        };
        boolean ok = ConfigLoaderTest.errorsOrEmpty(text).isEmpty();
        assertThat(ok).isEqualTo(outcome.equals("ok"));
        String derived = switch (type) {
            case "strategy" -> "mwan4_strategy_" + name + "_ipv6";
            case "rule" -> "mwan4_rule_ipv6_" + name + "_2147483647";
            default -> "mwan4_iface_in_" + name + "_ipv6";
        };
        assertThat(derived.length() <= Names.NFT_NAME_MAX).isEqualTo(ok);
    }

    @ParameterizedTest(name = "mask {0} with {1} interfaces: {2}")
    @CsvSource({"0x700, 4, ok", "0x700, 5, error", "0x3F00, 60, ok", "0x3F00, 61, error", "0x7, 1, ok"})
    void markRoom(String mask, int interfaces, String outcome) {
        StringBuilder sb = new StringBuilder("config globals 'globals'\n\toption mmx_mask '" + mask + "'\n");
        for (int i = 0; i < interfaces; i++) {
            sb.append("config interface 'i").append(i).append("'\n");
        }
        assertThat(ConfigLoaderTest.errorsOrEmpty(sb.toString()).isEmpty()).isEqualTo(outcome.equals("ok"));
    }

    @ParameterizedTest(name = "use_cgroup {0}: {1}")
    @CsvSource(delimiter = '|', value = {"mwan4|ok", "a/b/c/d|ok", "mwan4t-x_1.2|ok", "a/b/c/d/e|error", "/mwan4|error",
            "mwan4/|error", "../x|error", "a/../b|error", ".hidden|error", "a b|error", "x\"y|error", "a//b|error"})
    void useCgroupIsASafeRelativePath(String path, String outcome) throws Exception {
        String text = "config globals 'globals'\n\toption use_cgroup '" + path + "'\n";
        List<String> errors = ConfigLoaderTest.errorsOrEmpty(text);
        assertThat(errors.isEmpty()).as("%s", errors).isEqualTo(outcome.equals("ok"));
        if (outcome.equals("ok")) {
            assertThat(ConfigLoader.load("mwan4", text, null).globals().useCgroup()).isEqualTo(path);
        } else {
            assertThat(errors).anySatisfy(e -> assertThat(e).contains("use_cgroup"));
        }
    }

    @Test
    void useCgroupDefaultsToMwan4() throws Exception {
        assertThat(ConfigLoader.load("mwan4", "config globals 'globals'\n", null).globals().useCgroup()).isEqualTo("mwan4");
    }

    @Test
    void reliabilityIsCheckedPerFamily() {
        assertThat(ConfigLoaderTest.errorsOrEmpty("""
                config interface 'wan'
                \tlist family 'ipv4'
                \tlist family 'ipv6'
                \tlist track_ip '192.0.2.1'
                \tlist track_ip '192.0.2.2'
                \tlist track_ip '192.0.2.3'
                \tlist track_ip '2001:db8::1'
                \tlist track_ip '2001:db8::2'
                \toption reliability '3'
                """)).containsExactly("mwan4:9: interface 'wan': reliability 3 is more than the 2 ipv6 track_ip targets,"
                + " so every round would fail");
    }

    @Test
    void everyTrackMethodIsKnown() throws Exception {
        for (TrackMethod m : TrackMethod.values()) {
            Config c = ConfigLoaderTest.load("config interface 'wan'\n\toption track_method '" + m.id() + "'\n");
            assertThat(c.interfaces().getFirst().tracking().method()).isEqualTo(m);
        }
    }

    @Test
    void networkDevicesFromEveryStyle() throws Exception {
        Config c = ConfigLoader.load("mwan4", "config interface 'wan'\n", """
                config interface 'wan'
                \toption device 'eth1'
                config interface 'old'
                \toption ifname 'eth0.2 eth0.3'
                config interface 'bridged'
                \toption type 'bridge'
                \toption ifname 'eth3 eth4'
                config interface 'wan6'
                \toption device '@wan'
                config interface 'weird'
                \toption device 'eth0"x'
                """);
        assertThat(c.networkDevices()).containsExactlyEntriesOf(new java.util.TreeMap<>(java.util.Map.of(
                "bridged", "br-bridged", "old", "eth0.2", "wan", "eth1")));
    }

    @Test
    void compareWarnsWhenIdsMove() throws Exception {
        Config before = ConfigLoaderTest.load("config interface 'a'\nconfig interface 'b'\n");
        Config added = ConfigLoaderTest.load("config interface 'a'\nconfig interface 'b'\nconfig interface 'c'\n");
        Config swapped = ConfigLoaderTest.load("config interface 'b'\nconfig interface 'a'\n");
        assertThat(ConfigLoader.compare(before, before)).isEmpty();
        assertThat(ConfigLoader.compare(before, added)).isEmpty();
        assertThat(ConfigLoader.compare(before, swapped)).extracting(Diagnostic::toString).containsExactly(
                "mwan4:1: warning: interface 'b': moves from id 2 to id 1: its routing table and mark change, so its"
                        + " existing connections lose their route (keep interface sections in their order and add new"
                        + " ones at the end)",
                "mwan4:2: warning: interface 'a': moves from id 1 to id 2: its routing table and mark change, so its"
                        + " existing connections lose their route (keep interface sections in their order and add new"
                        + " ones at the end)");
    }

    @Test
    void hostBitsAreMaskedWithAWarning() throws Exception {
        Config c = ConfigLoaderTest.load("config rule 'r'\n\toption dest_ip '192.0.2.5/24'\n\toption use_strategy 'default'\n");
        assertThat(c.rules().getFirst().destIp()).extracting(Cidr::toString).containsExactly("192.0.2.0/24");
        assertThat(c.warnings()).extracting(Diagnostic::message)
                .containsExactly("dest_ip '192.0.2.5/24' has host bits set; it means 192.0.2.0/24");
    }
}
