package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;

/** The reducer with the real config loader: config text in events, as the daemon and replays see it. */
class RealConfigTest {

    static final String NETWORK = """
            config interface 'wan'
            \toption device 'eth0'
            \toption proto 'dhcp'

            config interface 'wanb'
            \toption device 'eth1'
            \toption proto 'dhcp'
            """;

    static String sample() throws IOException {
        return Files.readString(Path.of(System.getProperty("mwan4.repo", "."), "etc/config/mwan4"));
    }

    final Reducer reducer = Reducer.standard();
    State state = State.initial();
    List<Effect> last = List.of();
    int clock;

    void apply(Event e) {
        Next n = reducer.apply(state, e);
        state = n.state();
        last = n.effects();
    }

    Instant now() {
        return Lab.t(clock++);
    }

    void load(String text) {
        apply(new Event.ConfigLoaded(now(), "/etc/config/mwan4", text, "/etc/config/network", NETWORK));
    }

    void links() {
        apply(new Event.AddressAdded(now(), 2, Cidr.parse("192.0.2.10/24").orElseThrow()));
        apply(new Event.AddressAdded(now(), 3, Cidr.parse("198.51.100.20/24").orElseThrow()));
        apply(new Event.LinkChanged(now(), 2, "eth0", true, true, "UP"));
        apply(new Event.LinkChanged(now(), 3, "eth1", true, true, "UP"));
    }

    @Test
    void theSampleConfigStartsOneTrackerPerInterfaceAndFamilyOnTheNetworkDevices() throws IOException {
        load(sample());
        links();
        assertThat(state.trackers().keySet()).extracting(k -> k.iface() + "/" + k.family().id())
                .containsExactly("wan/ipv4", "wan/ipv6", "wanb/ipv4", "wanb/ipv6");
        assertThat(state.trackers().values()).allMatch(t -> t.status() == TrackerStatus.ONLINE
                && t.tracking() == TrackingState.ACTIVE && t.score() == 3 + 8 && t.targets().size() == 4);
        assertThat(EffectText.actions(last)).containsExactly(
                "hook ifup wanb ipv4 eth1", "start wanb ipv4 eth1 src 198.51.100.20 mark 0x3f00 first 0s every 5s",
                "hook connected wanb ipv4 eth1 FIRSTCONNECT",
                "hook ifup wanb ipv6 eth1", "start wanb ipv6 eth1 src null mark 0x3f00 first 0s every 5s",
                "hook connected wanb ipv6 eth1 FIRSTCONNECT", "status");
    }

    @Test
    void reliabilityTwoAndDownThreeFromTheSampleTakeWanOffline() throws IOException {
        load(sample());
        links();
        Tracker wan = state.trackers().get(new State.TrackerKey("wan", Family.IPV4));
        for (int round = 0; round < 3; round++) {
            List<Event.TargetResult> results = new ArrayList<>();
            for (int i = 0; i < wan.targets().size(); i++) {
                // one of four answers: below reliability 2
                results.add(new Event.TargetResult(wan.targets().get(i).address(),
                        i == 0 ? Event.TargetStatus.UP : Event.TargetStatus.DOWN, i == 0 ? 12.0 : null, i == 0 ? 0 : 100, null));
            }
            apply(new Event.ProbeRoundFinished(now(), "wan", Family.IPV4, results));
        }
        assertThat(state.trackers().get(new State.TrackerKey("wan", Family.IPV4)).status()).isEqualTo(TrackerStatus.OFFLINE);
        assertThat(EffectText.actions(last)).as("flush_conntrack lists ifdown only")
                .containsExactly("hook disconnected wan ipv4 eth0", "status");
        assertThat(state.trackers().get(new State.TrackerKey("wan", Family.IPV6)).status()).isEqualTo(TrackerStatus.ONLINE);
        apply(new Event.LinkChanged(now(), 2, "eth0", false, false, "DOWN"));
        assertThat(EffectText.actions(last)).containsExactly(
                "stop wan ipv4", "hook ifdown wan ipv4 eth0", "flush wan ipv4 0x100/0x3f00",
                "stop wan ipv6", "hook ifdown wan ipv6 eth0", "flush wan ipv6 0x100/0x3f00",
                "hook disconnected wan ipv6 eth0", "status");
    }

    @Test
    void reloadingTheSampleWithOneChangeRestartsOnlyThatInterface() throws IOException {
        load(sample());
        links();
        State before = state;
        String changed = sample().replaceFirst("(?s)(config interface 'wanb'.*?option interval )'5'", "$1'7'");
        assertThat(changed).isNotEqualTo(sample());
        load(changed);
        assertThat(state.trackers().get(new State.TrackerKey("wan", Family.IPV4)))
                .isEqualTo(before.trackers().get(new State.TrackerKey("wan", Family.IPV4)));
        assertThat(state.trackers().get(new State.TrackerKey("wan", Family.IPV6)))
                .isEqualTo(before.trackers().get(new State.TrackerKey("wan", Family.IPV6)));
        assertThat(EffectText.actions(last)).containsExactly(
                "stop wanb ipv4", "start wanb ipv4 eth1 src 198.51.100.20 mark 0x3f00 first 0s every 7s",
                "stop wanb ipv6", "start wanb ipv6 eth1 src null mark 0x3f00 first 0s every 7s");
    }

    @Test
    void aBrokenEditIsRejectedWithEveryErrorAndChangesNothing() throws IOException {
        load(sample());
        links();
        State before = state;
        String broken = sample().replace("option down '3'", "option down 'three'").replace("option up '8'", "option up '-1'");
        load(broken);
        assertThat(state).isEqualTo(before);
        assertThat(last).allMatch(e -> e instanceof Effect.LogLine l && l.level() == Effect.Level.ERROR);
        List<String> lines = EffectText.logs(last);
        assertThat(lines.getFirst()).startsWith("log ERROR config /etc/config/mwan4 rejected (")
                .endsWith("keeping the config loaded before (/etc/config/mwan4)");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("/etc/config/mwan4:").contains("down"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("/etc/config/mwan4:").contains("up"));
        assertThat(lines).hasSizeGreaterThanOrEqualTo(1 + 4);
    }

    @Test
    void errorsInTheNetworkFileNameThatFile() throws IOException {
        apply(new Event.ConfigLoaded(now(), "/etc/config/mwan4", sample(), "/tmp/net", "config interface 'wan\n"));
        assertThat(state).isEqualTo(State.initial());
        assertThat(EffectText.logs(last)).anySatisfy(l -> assertThat(l).startsWith("log ERROR /tmp/net:1"));
    }

    @Test
    void optionDeviceWinsOverTheNetworkFile() {
        load("""
                config interface 'wan'
                \toption enabled '1'
                \toption device 'eth5'
                \tlist track_ip '198.51.100.1'
                """);
        apply(new Event.LinkChanged(now(), 2, "eth0", true, true, "UP"));
        assertThat(state.trackers().get(new State.TrackerKey("wan", Family.IPV4)).status()).isEqualTo(TrackerStatus.DISABLED);
        apply(new Event.LinkChanged(now(), 7, "eth5", true, true, "UP"));
        assertThat(EffectText.actions(last)).containsExactly("hook ifup wan ipv4 eth5",
                "start wan ipv4 eth5 src null mark 0x3f00 first 0s every 10s", "hook connected wan ipv4 eth5 FIRSTCONNECT",
                "status");
    }
}
