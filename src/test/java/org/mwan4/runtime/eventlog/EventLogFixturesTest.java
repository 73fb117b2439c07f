package org.mwan4.runtime.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Effect;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Replay;
import org.mwan4.core.RouteFact;
import org.mwan4.core.State;
import org.mwan4.core.TrackerStatus;

/**
 * The recorded logs in test-fixtures/events: they are what this code writes (byte for byte), read back
 * without error, and replay to known outcomes. Regenerate with {@code -Dgolden.update=true} and read the diff.
 */
class EventLogFixturesTest {
    static final Path DIR = Path.of(System.getProperty("mwan4.repo", "."), "test-fixtures/events");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");
    static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    static Instant t(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    static RouteFact route(String dst, String gw, int ifindex, int metric, int protocol, int scope, String prefsrc) {
        Cidr d = cidr(dst);
        return new RouteFact(RouteFact.TABLE_MAIN, d.family(), d, gw == null ? null : ip(gw), ifindex, metric, "unicast",
                protocol, scope, null, prefsrc == null ? null : ip(prefsrc));
    }

    static final String CONFIG = """
            config globals 'globals'
            \toption mmx_mask '0x3F00'

            config interface 'wan'
            \toption enabled '1'
            \toption device 'eth0'
            \tlist family 'ipv4'
            \tlist family 'ipv6'
            \tlist track_ip '198.51.100.1'
            \tlist track_ip '198.51.100.2'
            \tlist track_ip '2001:db8:ffff::1'
            \toption interval '5'
            \toption failure_interval '2'
            \toption down '3'
            \toption up '2'
            \tlist flush_conntrack 'disconnected'

            config interface 'wanb'
            \toption enabled '1'
            \toption device 'eth1'
            \tlist track_ip '203.0.113.1'
            \toption interval '5'

            config route 'wan_m1_w3'
            \toption interface 'wan'
            \toption metric '1'
            \toption weight '3'

            config route 'wanb_m1_w1'
            \toption interface 'wanb'
            \toption metric '1'
            \toption weight '1'

            config strategy 'balanced'
            \tlist use_route 'wan_m1_w3'
            \tlist use_route 'wanb_m1_w1'

            config rule 'default_rule'
            \toption use_strategy 'balanced'
            """;

    static Event.TargetResult up(String target, double ms) {
        return new Event.TargetResult(ip(target), Event.TargetStatus.UP, ms, 0, null);
    }

    static Event.TargetResult down(String target) {
        return new Event.TargetResult(ip(target), Event.TargetStatus.DOWN, null, 100, null);
    }

    static Event wanRound(double at, boolean ok) {
        return new Event.ProbeRoundFinished(t(at), "wan", Family.IPV4, ok
                ? List.of(up("198.51.100.1", 11.2), new Event.TargetResult(ip("198.51.100.2"), Event.TargetStatus.SKIPPED, null, 0, null))
                : List.of(down("198.51.100.1"), down("198.51.100.2")));
    }

    /** Two WANs; wan loses its IPv4 upstream, goes offline, comes back; an operator ifdown/ifup; a reload; shutdown. */
    static List<LoggedEvent> wanFailover() {
        List<Event> e = new ArrayList<>();
        e.add(new Event.ConfigLoaded(t(0), "/etc/config/mwan4", CONFIG, null, null));
        e.add(new Event.NetlinkResynced(t(0.2),
                List.of(new Event.LinkChanged(t(0.2), 1, "lo", true, true, "UNKNOWN"),
                        new Event.LinkChanged(t(0.2), 2, "eth0", true, true, "UP"),
                        new Event.LinkChanged(t(0.2), 3, "eth1", true, true, "UP")),
                List.of(new Event.AddressAdded(t(0.2), 2, cidr("192.0.2.10/24")),
                        new Event.AddressAdded(t(0.2), 2, cidr("2001:db8:1::10/64")),
                        new Event.AddressAdded(t(0.2), 3, cidr("198.51.100.20/24"))),
                List.of(route("0.0.0.0/0", "192.0.2.1", 2, 10, 4, 0, null),
                        route("192.0.2.0/24", null, 2, 0, 2, 253, "192.0.2.10"),
                        route("0.0.0.0/0", "198.51.100.1", 3, 20, 4, 0, null),
                        route("198.51.100.0/24", null, 3, 0, 2, 253, "198.51.100.20"),
                        route("::/0", "fe80::1", 2, 1024, 9, 0, null))));
        e.add(wanRound(5, true));
        e.add(new Event.ProbeRoundFinished(t(5.1), "wan", Family.IPV6, List.of(up("2001:db8:ffff::1", 14.0))));
        e.add(new Event.ProbeRoundFinished(t(5.2), "wanb", Family.IPV4, List.of(up("203.0.113.1", 23.5))));
        e.add(wanRound(10, false));
        e.add(wanRound(12, false));
        e.add(wanRound(14, false));
        e.add(wanRound(16, false));
        e.add(wanRound(21, true));
        e.add(wanRound(24, true));
        e.add(new Event.LinkChanged(t(30), 3, "eth1", true, false, "LOWERLAYERDOWN"));
        e.add(new Event.LinkChanged(t(33), 3, "eth1", true, true, "UP"));
        e.add(new Event.OperatorCommanded(t(40), Event.Command.IFDOWN, "wanb"));
        e.add(new Event.OperatorCommanded(t(45), Event.Command.IFUP, "wanb"));
        e.add(new Event.ConfigLoaded(t(50), "/etc/config/mwan4", CONFIG.replace("'203.0.113.1'\n\toption interval '5'",
                "'203.0.113.1'\n\toption interval '7'"), null, null));
        e.add(new Event.RouteRemoved(t(55), route("0.0.0.0/0", "192.0.2.1", 2, 10, 4, 0, null)));
        e.add(new Event.RouteAdded(t(55.5), route("0.0.0.0/0", "192.0.2.254", 2, 10, 4, 0, null)));
        e.add(new Event.Ticked(t(60)));
        e.add(new Event.ShutdownRequested(t(70), false));
        List<LoggedEvent> out = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            out.add(new LoggedEvent(i + 1, e.get(i)));
        }
        return out;
    }

    /** One line of each type, with the values the docs use. */
    static List<LoggedEvent> everyType() {
        List<Event> e = List.of(
                new Event.ConfigLoaded(t(0), "/etc/config/mwan4", "config interface 'wan'\n\toption enabled '1'\n",
                        "/etc/config/network", "config interface 'wan'\n\toption device 'eth0'\n"),
                new Event.LinkChanged(t(0.123), 2, "eth0", true, true, "UP"),
                new Event.LinkRemoved(t(1), 4, "wwan0"),
                new Event.AddressAdded(t(2), 2, cidr("192.0.2.10/24")),
                new Event.AddressRemoved(t(3), 2, cidr("2001:db8:1::10/64")),
                new Event.RouteAdded(t(4), route("0.0.0.0/0", "192.0.2.1", 2, 10, 4, 0, null)),
                new Event.RouteRemoved(t(5), route("192.0.2.0/24", null, 2, 0, 2, 253, "192.0.2.10")),
                new Event.NetlinkResynced(t(6), List.of(new Event.LinkChanged(t(6), 2, "eth0", true, true, "UP")),
                        List.of(new Event.AddressAdded(t(6), 2, cidr("192.0.2.10/24"))),
                        List.of(route("0.0.0.0/0", "192.0.2.1", 2, 10, 4, 0, null))),
                new Event.ProbeRoundFinished(t(7), "wan", Family.IPV4, List.of(up("198.51.100.1", 12.5),
                        down("198.51.100.2"), new Event.TargetResult(ip("198.51.100.3"), Event.TargetStatus.SKIPPED, null, 0, null))),
                new Event.OperatorCommanded(t(8), Event.Command.IFDOWN, "wan"),
                new Event.Ticked(t(9)),
                new Event.KernelApplyFailed(t(10), "nft rejected op 3 of 7: No such file or directory"),
                new Event.ChainsMissing(t(11), List.of("mwan4_prerouting", "mwan4_output")),
                new Event.ShutdownRequested(t(12), true),
                new Event.KernelStepApplied(t(13), 12, null),
                new Event.UseCgroupsPrepared(t(14), "/sys/fs/cgroup/mwan4", "mwan4", 2, List.of("wan", "wanb"), ""));
        List<LoggedEvent> out = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            out.add(new LoggedEvent(i + 1, e.get(i)));
        }
        return out;
    }

    static String encode(List<LoggedEvent> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (EventLogWriter w = new EventLogWriter(out)) {
            for (LoggedEvent e : events) {
                w.append(e);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<LoggedEvent> golden(String name, List<LoggedEvent> events) throws IOException {
        Path file = DIR.resolve(name);
        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(file, encode(events));
        }
        assertThat(Files.readString(file)).as(file + " is what the writer writes (-Dgolden.update=true regenerates it)")
                .isEqualTo(encode(events));
        EventLogReader.ReadResult read = EventLogReader.readAll(file);
        assertThat(read.error()).isEmpty();
        assertThat(read.events()).isEqualTo(events);
        return read.events();
    }

    @Test
    void everyTypeOnce() throws IOException {
        List<LoggedEvent> events = golden("every-type.jsonl", everyType());
        assertThat(events).extracting(e -> e.event().getClass().getSimpleName())
                .containsExactlyInAnyOrderElementsOf(EventDecoder.TYPES);
    }

    @Test
    void wanFailoverReplaysToKnownOutcomes() throws IOException {
        List<LoggedEvent> events = golden("wan-failover.jsonl", wanFailover());
        List<Replay.Step> steps = Replay.run(events);
        Map<Long, Replay.Step> bySeq = new TreeMap<>();
        steps.forEach(s -> bySeq.put(s.seq(), s));
        assertThat(status(bySeq.get(2L).state(), "wan", Family.IPV4)).isEqualTo(TrackerStatus.ONLINE);
        assertThat(status(bySeq.get(6L).state(), "wan", Family.IPV4)).isEqualTo(TrackerStatus.DISCONNECTING);
        assertThat(status(bySeq.get(8L).state(), "wan", Family.IPV4)).isEqualTo(TrackerStatus.OFFLINE);
        assertThat(bySeq.get(8L).effects()).contains(new Effect.FlushConntrack("wan", Family.IPV4, 0x100, 0x3F00));
        assertThat(status(bySeq.get(8L).state(), "wan", Family.IPV6)).isEqualTo(TrackerStatus.ONLINE);
        assertThat(status(bySeq.get(10L).state(), "wan", Family.IPV4)).isEqualTo(TrackerStatus.CONNECTING);
        assertThat(status(bySeq.get(11L).state(), "wan", Family.IPV4)).isEqualTo(TrackerStatus.ONLINE);
        assertThat(status(bySeq.get(12L).state(), "wanb", Family.IPV4)).isEqualTo(TrackerStatus.DISABLED);
        assertThat(status(bySeq.get(14L).state(), "wanb", Family.IPV4)).isEqualTo(TrackerStatus.OFFLINE);
        assertThat(status(bySeq.get(15L).state(), "wanb", Family.IPV4)).isEqualTo(TrackerStatus.ONLINE);
        assertThat(bySeq.get(16L).effects()).as("the reload restarts only wanb").filteredOn(e -> e instanceof Effect.StartTracker)
                .extracting(e -> ((Effect.StartTracker) e).iface()).containsExactly("wanb");
        assertThat(bySeq.get(18L).state().gateway("wan", Family.IPV4)).contains(ip("192.0.2.254"));
        assertThat(steps.getLast().effects()).contains(new Effect.RunHook(org.mwan4.config.HookAction.IFDOWN, "wan",
                Family.IPV4, "eth0", false, true));
        assertThat(steps.toString()).as("a second replay is identical").isEqualTo(Replay.run(events).toString());
    }

    @Test
    void everyExampleInTheSchemaDocReadsAndEveryTypeHasOne() throws IOException, BadField {
        String doc = Files.readString(Path.of(System.getProperty("mwan4.repo", "."), "docs/event-log.md"));
        java.util.Set<String> types = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```json\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(doc);
        EventDecoder decoder = new EventDecoder();
        EventEncoder encoder = new EventEncoder();
        while (m.find()) {
            for (String line : m.group(1).split("\n")) {
                LoggedEvent e = decoder.decode(line);
                assertThat(encoder.encode(e)).as("the doc shows what the writer writes").isEqualTo(line);
                types.add(e.event().getClass().getSimpleName());
            }
        }
        assertThat(types).containsExactlyInAnyOrderElementsOf(EventDecoder.TYPES);
        for (String type : EventDecoder.TYPES) {
            assertThat(doc).as("a section per type").containsPattern("### .*\\b" + type + "\\b");
        }
    }

    static TrackerStatus status(State s, String iface, Family f) {
        return s.tracker(iface, f).orElseThrow().status();
    }
}
