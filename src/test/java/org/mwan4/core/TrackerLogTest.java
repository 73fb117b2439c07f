package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.core.Event.Command;

/** The operator's log lines for each transition: given these events, then exactly these lines for the last one. */
class TrackerLogTest {

    record Row(String name, Supplier<Lab> script, List<String> logs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, Supplier<Lab> script, String... logs) {
        return new Row(name, script, List.of(logs));
    }

    /** wan on eth0, down 5 / up 5 (mwan3's defaults), two targets. */
    static Lab wan() {
        return new Lab().load(config(iface("wan").device("eth0").track("198.51.100.1", "198.51.100.2")))
                .addr(2, "192.0.2.10/24").link(2, "eth0", true);
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("start", TrackerLogTest::wan,
                        "log INFO interface wan (ipv4) tracking started on eth0: online (initial_state), 2 targets every 10s"),
                row("disconnecting", () -> wan().round("wan", "DD"),
                        "log INFO interface wan (ipv4) is disconnecting: 1 of 5 failed rounds, last: 2 of 2 targets down"),
                row("disconnecting again after a recovery", () -> wan().rounds("wan", "DD", "DD", "DD", "DD", "DU").round("wan", "DD"),
                        "log INFO interface wan (ipv4) is disconnecting: 1 of 5 failed rounds, last: 2 of 2 targets down"),
                row("offline after 5 failed rounds", () -> wan().rounds("wan", "DD", "DD", "DD", "DD", "DD"),
                        "log WARN interface wan (ipv4) is offline: 5 failed rounds, last: 2 of 2 targets down"),
                row("connecting", () -> wan().rounds("wan", "DD", "DD", "DD", "DD", "DD", "UD"),
                        "log INFO interface wan (ipv4) is connecting: 1 of 5 good rounds, last: 1 of 2 targets up"),
                row("online", () -> wan().rounds("wan", "DD", "DD", "DD", "DD", "DD", "UU", "UU", "UU", "UU", "UU"),
                        "log INFO interface wan (ipv4) is online: 5 good rounds, last: 2 of 2 targets up"),
                row("connecting fails", () -> wan().rounds("wan", "DD", "DD", "DD", "DD", "DD", "UU", "UU", "DD"),
                        "log INFO interface wan (ipv4) is offline again: a round failed after 2 of 5 good rounds, last: 2 of 2 targets down"),
                row("recovered while disconnecting", () -> wan().rounds("wan", "DD", "DD", "UD"),
                        "log INFO interface wan (ipv4) is online again: recovered while disconnecting, last: 1 of 2 targets up"),
                row("link down", () -> wan().link(2, "eth0", false),
                        "log INFO interface wan (ipv4) is disabled: link eth0 is down, tracking paused"),
                row("device missing", () -> new Lab().load(config(iface("wan").device("eth9").track("198.51.100.1"))),
                        "log INFO config /etc/config/mwan4 loaded: 1 interfaces, 0 routes, 0 strategies, 0 rules",
                        "log INFO interface wan (ipv4) is disabled: device eth9 does not exist, tracking paused"),
                row("operator ifdown", () -> wan().command(Command.IFDOWN, "wan"),
                        "log INFO mwan4 ifdown wan",
                        "log INFO interface wan (ipv4) is offline: mwan4 ifdown, tracking stopped until mwan4 ifup"),
                row("untracked", () -> new Lab().load(config(iface("wan").device("eth0"))).link(2, "eth0", true),
                        "log INFO interface wan (ipv4) is online: link eth0 is up and it has no ipv4 track_ip (not tracked)"),
                row("re-bind", () -> wan().addr(2, "192.0.2.9/24"),
                        "log INFO interface wan (ipv4) probes now leave eth0 from 192.0.2.9 (were eth0 from 192.0.2.10)"),
                row("kernel apply failed", () -> wan().apply(new Event.KernelApplyFailed(Lab.t(50), "nft: No such file or directory")),
                        "log ERROR kernel apply failed: nft: No such file or directory; re-reading kernel state and re-planning"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void logLines(Row row) {
        assertThat(row.script().get().logs()).containsExactlyElementsOf(row.logs());
    }
}
