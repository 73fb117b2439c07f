package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.config.Family.IPV4;
import static org.mwan4.config.Family.IPV6;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.HookAction;
import org.mwan4.core.Event.Command;

/**
 * A reload keeps what did not change. Given wan (eth0, disconnecting after a failed round) and wanb (eth1,
 * online), when the config is reloaded with a change, then only the trackers named are touched, with exactly
 * these effects (log lines left out).
 */
class ConfigReloadTest {

    static TestConfigs.IfaceBuilder wan() {
        return iface("wan").device("eth0").track("198.51.100.1", "2001:db8:ffff::1").families(IPV4, IPV6);
    }

    static TestConfigs.IfaceBuilder wanb() {
        return iface("wanb").device("eth1").track("203.0.113.1");
    }

    static Lab running() {
        return new Lab().load(config(wan(), wanb()))
                .addr(2, "192.0.2.10/24").addr(3, "198.51.100.20/24")
                .link(2, "eth0", true).link(3, "eth1", true)
                .round("wan", IPV4, "D").round("wanb", IPV4, "U");
    }

    record Row(String name, TestConfigs.ConfigBuilder reloaded, List<String> touched, List<String> effects) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, TestConfigs.ConfigBuilder reloaded, String touched, String... effects) {
        return new Row(name, reloaded, touched.isEmpty() ? List.of() : List.of(touched.split(" ")), List.of(effects));
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("the same config: nothing restarts", config(wan(), wanb()), ""),
                row("changing wanb's targets restarts only wanb (still online: no hooks)",
                        config(wan(), wanb().track("203.0.113.1", "203.0.113.2")), "wanb/ipv4",
                        "stop wanb ipv4", "start wanb ipv4 eth1 src 198.51.100.20 mark 0x3f00 first 0s every 10s", "status"),
                row("changing wanb's interval restarts only wanb",
                        config(wan(), wanb().interval(30)), "wanb/ipv4",
                        "stop wanb ipv4", "start wanb ipv4 eth1 src 198.51.100.20 mark 0x3f00 first 0s every 30s", "status"),
                row("changing only wan's IPv6 target restarts only wan's IPv6 tracker",
                        config(wan().track("198.51.100.1", "2001:db8:ffff::2"), wanb()), "wan/ipv6",
                        "stop wan ipv6", "start wan ipv6 eth0 src null mark 0x3f00 first 0s every 10s", "status"),
                row("flush_conntrack and initial_state apply without a restart",
                        config(wan().flush(HookAction.IFDOWN).offlineAtStart(), wanb()), ""),
                row("wanb removed: its tracker stops with ifdown and disconnected hooks", config(wan()), "wanb/ipv4",
                        "stop wanb ipv4", "hook ifdown wanb ipv4 eth1", "hook disconnected wanb ipv4 eth1", "status"),
                row("wanb disabled: its tracker stops", config(wan(), wanb().disabled()), "wanb/ipv4",
                        "stop wanb ipv4", "hook ifdown wanb ipv4 eth1", "hook disconnected wanb ipv4 eth1", "status"),
                row("wan's IPv6 family dropped: only that tracker stops",
                        config(wan().families(IPV4), wanb()), "wan/ipv6",
                        "stop wan ipv6", "hook ifdown wan ipv6 eth0", "hook disconnected wan ipv6 eth0", "status"),
                row("a new interface starts, the others stay",
                        config(wan(), wanb(), iface("wanc").device("eth0").track("192.0.2.1")), "wanc/ipv4",
                        "hook ifup wanc ipv4 eth0", "start wanc ipv4 eth0 src 192.0.2.10 mark 0x3f00 first 0s every 10s",
                        "hook connected wanc ipv4 eth0 FIRSTCONNECT", "status"),
                row("wanb moves to a device that does not exist: stopped, disabled",
                        config(wan(), wanb().device("eth7")), "wanb/ipv4",
                        "stop wanb ipv4", "hook ifdown wanb ipv4 eth1", "hook disconnected wanb ipv4 eth1", "status"),
                row("reordering renumbers ids (marks, tables): both restart",
                        config(wanb(), wan()), "wan/ipv4 wan/ipv6 wanb/ipv4",
                        "stop wanb ipv4", "start wanb ipv4 eth1 src 198.51.100.20 mark 0x3f00 first 0s every 10s",
                        "stop wan ipv4", "start wan ipv4 eth0 src 192.0.2.10 mark 0x3f00 first 0s every 10s",
                        "stop wan ipv6", "start wan ipv6 eth0 src null mark 0x3f00 first 0s every 10s", "status"),
                row("a new mmx_mask changes the probes' mark: every tracker restarts",
                        config(wan(), wanb()).mask(0xFF00), "wan/ipv4 wan/ipv6 wanb/ipv4",
                        "stop wan ipv4", "start wan ipv4 eth0 src 192.0.2.10 mark 0xff00 first 0s every 10s",
                        "stop wan ipv6", "start wan ipv6 eth0 src null mark 0xff00 first 0s every 10s",
                        "stop wanb ipv4", "start wanb ipv4 eth1 src 198.51.100.20 mark 0xff00 first 0s every 10s", "status"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reload(Row row) {
        Lab lab = running();
        State before = lab.state;
        lab.load(row.reloaded());
        before.trackers().forEach((key, t) -> {
            String id = key.iface() + "/" + key.family().id();
            if (!row.touched().contains(id)) {
                assertThat(lab.state.trackers().get(key)).as(id + " kept as it was").isEqualTo(t);
            }
        });
        assertThat(lab.actions()).containsExactlyElementsOf(row.effects());
    }

    @Test
    void disconnectingTrackerKeepsScoreAndStatusAcrossAnUnrelatedReload() {
        Lab lab = running();
        Tracker wan = lab.tracker("wan");
        assertThat(wan.status()).isEqualTo(TrackerStatus.DISCONNECTING);
        lab.load(config(wan(), wanb().interval(30)));
        assertThat(lab.tracker("wan")).isEqualTo(wan);
        assertThat(lab.tracker("wan").score()).isEqualTo(9);
    }

    @Test
    void invalidConfigLeavesStateIdenticalAndListsEveryError() {
        Lab lab = running();
        State before = lab.state;
        lab.apply(new Event.ConfigLoaded(Lab.t(100), "/etc/config/mwan4", "config interface 'wan'\n option down 'bad'\n option up 'bad'\n", null, null));
        assertThat(lab.state).isEqualTo(before);
        assertThat(lab.last).containsExactly(
                new Effect.LogLine(Effect.Level.ERROR, "config /etc/config/mwan4 rejected (2 errors); keeping the config loaded before (/etc/config/mwan4)"),
                new Effect.LogLine(Effect.Level.ERROR, "/etc/config/mwan4:2: interface 'wan': 'option down 'bad'' is not a number"),
                new Effect.LogLine(Effect.Level.ERROR, "/etc/config/mwan4:3: interface 'wan': 'option up 'bad'' is not a number"));
    }

    @Test
    void invalidFirstConfigManagesNothing() {
        Lab lab = new Lab().link(2, "eth0", true);
        State before = lab.state;
        lab.apply(new Event.ConfigLoaded(Lab.t(5), "/tmp/x", "bad", null, null));
        assertThat(lab.state).isEqualTo(before);
        assertThat(EffectText.logs(lab.last)).first().isEqualTo(
                "log ERROR config /tmp/x rejected (1 error); nothing is managed until a valid config is loaded");
    }

    @Test
    void aLoaderThatThrowsIsAnErrorNotACrash() {
        Reducer r = new Reducer((path, text, netPath, net) -> {
            throw new IllegalStateException("boom");
        });
        Next next = r.apply(State.initial(), new Event.ConfigLoaded(Lab.t(0), "/etc/config/mwan4", "x", null, null));
        assertThat(next.state()).isEqualTo(State.initial());
        assertThat(EffectText.logs(next.effects())).containsExactly(
                "log ERROR config /etc/config/mwan4 rejected (1 error); nothing is managed until a valid config is loaded",
                "log ERROR /etc/config/mwan4: the config loader failed: java.lang.IllegalStateException: boom");
    }

    @Test
    void warningsBecomeWarnLinesAndTheReloadIsSummed() {
        Lab lab = running().load(config(wan(), wanb().interval(30)).warning(12, "interface 'wanb'", "interval", "shorter than timeout"));
        assertThat(lab.logs()).contains(
                "log INFO config /etc/config/mwan4 reloaded: 2 interfaces, 0 routes, 0 strategies, 0 rules",
                "log WARN /etc/config/mwan4:12: warning: interface 'wanb': shorter than timeout",
                "log INFO reload: kept wan (ipv4), wan (ipv6); restarted wanb (ipv4); started none; stopped none");
    }

    @Test
    void operatorDownSurvivesAReloadAndIsForgottenWhenTheInterfaceIsRemoved() {
        Lab lab = running().command(Command.IFDOWN, "wanb");
        lab.load(config(wan(), wanb().interval(30)));
        assertThat(lab.tracker("wanb").status()).isEqualTo(TrackerStatus.OFFLINE);
        assertThat(lab.tracker("wanb").tracking()).isEqualTo(TrackingState.DOWN);
        lab.load(config(wan()));
        assertThat(lab.state.operatorDown()).isEmpty();
        lab.load(config(wan(), wanb()));
        assertThat(lab.tracker("wanb").status()).isEqualTo(TrackerStatus.ONLINE);
    }
}
