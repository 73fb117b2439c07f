package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.config.Family.IPV4;
import static org.mwan4.config.Family.IPV6;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;
import static org.mwan4.core.TrackerStatus.DISABLED;
import static org.mwan4.core.TrackerStatus.OFFLINE;
import static org.mwan4.core.TrackerStatus.ONLINE;
import static org.mwan4.core.TrackingState.ACTIVE;
import static org.mwan4.core.TrackingState.DOWN;
import static org.mwan4.core.TrackingState.PAUSED;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.config.HookAction;
import org.mwan4.core.Event.Command;

/**
 * Starting, pausing, stopping and restarting trackers: given these events, then this tracker status and tracking
 * state, and these effects of the last event (log lines left out). Interface wan runs on eth0 (ifindex 2).
 */
class TrackerLifecycleTest {

    record Row(String name, Supplier<Lab> script, String iface, Family family, TrackerStatus status,
               TrackingState tracking, List<String> lastEffects) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, Supplier<Lab> script, TrackerStatus status, TrackingState tracking, String... effects) {
        return new Row(name, script, "wan", IPV4, status, tracking, List.of(effects));
    }

    static Row row(String name, Supplier<Lab> script, Family f, TrackerStatus status, TrackingState tracking, String... effects) {
        return new Row(name, script, "wan", f, status, tracking, List.of(effects));
    }

    static final String START = "start wan ipv4 eth0 src 192.0.2.10 mark 0x3f00 first 0s every 10s";

    static TestConfigs.IfaceBuilder wan() {
        return iface("wan").device("eth0").track("198.51.100.1", "198.51.100.2");
    }

    /** Config, address, link up: the tracker starts on the last of them. */
    static Lab up(TestConfigs.IfaceBuilder wan) {
        return new Lab().load(config(wan)).addr(2, "192.0.2.10/24").link(2, "eth0", true);
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("initial_state online: starts online, connected with FIRSTCONNECT", () -> up(wan()), ONLINE, ACTIVE,
                        "hook ifup wan ipv4 eth0", START, "hook connected wan ipv4 eth0 FIRSTCONNECT", "status"),
                row("initial_state offline: starts offline with score 0, no connected hook",
                        () -> up(wan().offlineAtStart()), OFFLINE, ACTIVE, "hook ifup wan ipv4 eth0", START, "status"),
                row("initial_state offline: the first connected since start carries FIRSTCONNECT",
                        () -> up(wan().offlineAtStart().up(1)).round("wan", "UU"), ONLINE, ACTIVE,
                        "hook connecting wan ipv4 eth0", "hook connected wan ipv4 eth0 FIRSTCONNECT", "status"),
                row("a later connected has no FIRSTCONNECT", () -> up(wan().down(1).up(1)).rounds("wan", "DD", "UU"),
                        ONLINE, ACTIVE, "hook connecting wan ipv4 eth0", "hook connected wan ipv4 eth0", "status"),
                row("config before any link: disabled, paused (no device)",
                        () -> new Lab().load(config(iface("wan").track("198.51.100.1"))), DISABLED, PAUSED, "status"),
                row("option device names a link that does not exist: disabled", () -> new Lab().load(config(wan())),
                        DISABLED, PAUSED, "status"),
                row("link down: disabled, tracker paused, ifdown and disconnected hooks",
                        () -> up(wan()).link(2, "eth0", false), DISABLED, PAUSED,
                        "stop wan ipv4", "hook ifdown wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "status"),
                row("carrier lost (admin still up): disabled too",
                        () -> up(wan()).carrier(2, "eth0", false), DISABLED, PAUSED,
                        "stop wan ipv4", "hook ifdown wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "status"),
                row("link down while connecting: no disconnected hook (it was never online)",
                        () -> up(wan().offlineAtStart().up(3)).round("wan", "UU").link(2, "eth0", false), DISABLED, PAUSED,
                        "stop wan ipv4", "hook ifdown wan ipv4 eth0", "status"),
                row("link back up: tracking restarts from initial_state",
                        () -> up(wan()).link(2, "eth0", false).link(2, "eth0", true), ONLINE, ACTIVE,
                        "hook ifup wan ipv4 eth0", START, "hook connected wan ipv4 eth0 FIRSTCONNECT", "status"),
                row("link removed: disabled", () -> up(wan()).apply(new Event.LinkRemoved(Lab.t(9), 2, "eth0")),
                        DISABLED, PAUSED, "stop wan ipv4", "hook ifdown wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "status"),
                row("device from /etc/config/network when there is no option device",
                        () -> new Lab().load(config(iface("wan").track("198.51.100.1")).network("wan", "eth1"))
                                .link(3, "eth1", true), ONLINE, ACTIVE,
                        "hook ifup wan ipv4 eth1", "start wan ipv4 eth1 src null mark 0x3f00 first 0s every 10s",
                        "hook connected wan ipv4 eth1 FIRSTCONNECT", "status"),
                row("device is the link of the interface's own name as a last resort",
                        () -> new Lab().load(config(iface("wan").track("198.51.100.1"))).link(4, "wan", true), ONLINE, ACTIVE,
                        "hook ifup wan ipv4 wan", "start wan ipv4 wan src null mark 0x3f00 first 0s every 10s",
                        "hook connected wan ipv4 wan FIRSTCONNECT", "status"),
                row("no track_ip: online while the link is up, tracking disabled, no probes",
                        () -> up(iface("wan").device("eth0")), ONLINE, TrackingState.DISABLED,
                        "hook ifup wan ipv4 eth0", "hook connected wan ipv4 eth0 FIRSTCONNECT", "status"),
                row("no track_ip: link down -> disabled, disconnected hook",
                        () -> up(iface("wan").device("eth0")).link(2, "eth0", false), DISABLED, TrackingState.DISABLED,
                        "hook ifdown wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "status"),
                row("no track_ip: a probe round is ignored", () -> up(iface("wan").device("eth0")).apply(
                        new Event.ProbeRoundFinished(Lab.t(9), "wan", IPV4, List.of())), ONLINE, TrackingState.DISABLED),
                row("operator ifdown: offline until ifup, ifdown and disconnected hooks",
                        () -> up(wan()).command(Command.IFDOWN, "wan"), OFFLINE, DOWN,
                        "stop wan ipv4", "hook ifdown wan ipv4 eth0", "hook disconnected wan ipv4 eth0", "status"),
                row("operator ifdown: a link bounce does not bring it back",
                        () -> up(wan()).command(Command.IFDOWN, "wan").link(2, "eth0", false).link(2, "eth0", true),
                        OFFLINE, DOWN),
                row("operator ifup after ifdown restarts tracking",
                        () -> up(wan()).command(Command.IFDOWN, "wan").command(Command.IFUP, "wan"), ONLINE, ACTIVE,
                        "hook ifup wan ipv4 eth0", START, "hook connected wan ipv4 eth0 FIRSTCONNECT", "status"),
                row("operator ifup while the link is down: stays disabled until the link is up",
                        () -> up(wan()).command(Command.IFDOWN, "wan").link(2, "eth0", false).command(Command.IFUP, "wan"),
                        DISABLED, PAUSED, "status"),
                row("operator ifup of a running interface restarts its tracker; still online, so no connected hook",
                        () -> up(wan()).round("wan", "UU").command(Command.IFUP, "wan"), ONLINE, ACTIVE,
                        "hook ifup wan ipv4 eth0", "stop wan ipv4", START, "status"),
                row("operator ifdown of an unknown interface: a warning, nothing else",
                        () -> up(wan()).command(Command.IFDOWN, "wna"), ONLINE, ACTIVE),
                row("flush_conntrack ifup/ifdown: flushed after those hooks",
                        () -> up(wan().flush(HookAction.IFUP, HookAction.IFDOWN)).link(2, "eth0", false), DISABLED, PAUSED,
                        "stop wan ipv4", "hook ifdown wan ipv4 eth0", "flush wan ipv4 0x100/0x3f00",
                        "hook disconnected wan ipv4 eth0", "status"),
                row("a probe round of a paused tracker is ignored",
                        () -> up(wan()).link(2, "eth0", false).apply(new Event.ProbeRoundFinished(Lab.t(9), "wan", IPV4,
                                List.of())), DISABLED, PAUSED),
                row("an address appears: probes re-bind to it, the tracker keeps its state",
                        () -> new Lab().load(config(wan())).link(2, "eth0", true).round("wan", "DD").addr(2, "192.0.2.10/24"),
                        TrackerStatus.DISCONNECTING, ACTIVE, "start wan ipv4 eth0 src 192.0.2.10 mark 0x3f00 first 0s every 10s"),
                row("dual-stack: both trackers start, each with its own targets and source",
                        () -> new Lab().load(config(iface("wan").device("eth0").families(IPV4, IPV6)
                                        .track("198.51.100.1", "2001:db8:ffff::1")))
                                .addr(2, "192.0.2.10/24").addr(2, "fe80::1/64").addr(2, "2001:db8:1::10/64")
                                .link(2, "eth0", true), IPV6, ONLINE, ACTIVE,
                        "hook ifup wan ipv4 eth0", START, "hook connected wan ipv4 eth0 FIRSTCONNECT",
                        "hook ifup wan ipv6 eth0", "start wan ipv6 eth0 src 2001:db8:1::10 mark 0x3f00 first 0s every 10s",
                        "hook connected wan ipv6 eth0 FIRSTCONNECT", "status"),
                row("dual-stack: an IPv6 failure leaves IPv4 alone",
                        () -> new Lab().load(config(iface("wan").device("eth0").families(IPV4, IPV6).down(1)
                                        .track("198.51.100.1", "2001:db8:ffff::1")))
                                .link(2, "eth0", true).round("wan", IPV6, "D"), IPV6, OFFLINE, ACTIVE,
                        "hook disconnecting wan ipv6 eth0", "hook disconnected wan ipv6 eth0", "status"),
                row("dual-stack: IPv6 without track_ip is online untracked while IPv4 probes",
                        () -> new Lab().load(config(iface("wan").device("eth0").families(IPV4, IPV6).track("198.51.100.1")))
                                .link(2, "eth0", true), IPV6, ONLINE, TrackingState.DISABLED,
                        "hook ifup wan ipv4 eth0", "start wan ipv4 eth0 src null mark 0x3f00 first 0s every 10s",
                        "hook connected wan ipv4 eth0 FIRSTCONNECT", "hook ifup wan ipv6 eth0",
                        "hook connected wan ipv6 eth0 FIRSTCONNECT", "status"),
                row("probes use the DEFAULT mark of mmx_mask 0xff00",
                        () -> new Lab().load(config(wan()).mask(0xFF00)).addr(2, "192.0.2.10/24").link(2, "eth0", true),
                        ONLINE, ACTIVE, "hook ifup wan ipv4 eth0",
                        "start wan ipv4 eth0 src 192.0.2.10 mark 0xff00 first 0s every 10s",
                        "hook connected wan ipv4 eth0 FIRSTCONNECT", "status"),
                row("shutdown: stop every tracker, ifdown with the shutdown flag where running",
                        () -> new Lab().load(config(wan(), iface("wanb").device("eth1").track("203.0.113.1")))
                                .addr(2, "192.0.2.10/24").link(2, "eth0", true)
                                .apply(new Event.ShutdownRequested(Lab.t(20), false)), ONLINE, DOWN,
                        "stop wan ipv4", "stop wanb ipv4", "hook ifdown wan ipv4 eth0 SHUTDOWN", "status"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void lifecycle(Row row) {
        Lab lab = row.script().get();
        Tracker t = lab.tracker(row.iface(), row.family());
        assertThat(t.status()).as("status").isEqualTo(row.status());
        assertThat(t.tracking()).as("tracking").isEqualTo(row.tracking());
        assertThat(lab.actions()).as("effects of the last event").containsExactlyElementsOf(row.lastEffects());
    }

    @Test
    void disabledInterfaceHasNoTracker() {
        Lab lab = up(wan().disabled());
        assertThat(lab.state.trackers()).isEmpty();
        assertThat(lab.actions()).isEmpty();
    }

    @Test
    void unknownInterfaceCommandIsAWarning() {
        Lab lab = up(wan()).command(Command.IFDOWN, "wna");
        assertThat(lab.logs()).containsExactly("log WARN mwan4 ifdown wna: no enabled interface 'wna' in the config; nothing to do");
    }

    @Test
    void operatorDownSurvivesLinkEventsAndIsInTheSnapshot() {
        Lab lab = up(wan()).command(Command.IFDOWN, "wan");
        assertThat(lab.state.operatorDown()).containsExactly("wan");
        assertThat(StatusSnapshot.of(lab.state).iface("wan").orElseThrow().operatorDown()).isTrue();
    }

    @Test
    void shutdownScoresAreKeptButNothingRuns() {
        Lab lab = up(wan()).apply(new Event.ShutdownRequested(Lab.t(20), true));
        assertThat(lab.state.trackers().values()).allMatch(t -> !t.running());
        assertThat(lab.logs()).containsExactly("log INFO shutting down: stopping 1 trackers, keeping the rules in place");
    }
}
