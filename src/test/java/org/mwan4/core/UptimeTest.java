package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;

import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.core.Event.Command;

/**
 * mwan3's "uptime" (how long the interface has been up) and "online" (how long the tracker has been online), both
 * from event times: given these events (one second apart, from t0), then these up and online timestamps.
 */
class UptimeTest {

    record Row(String name, Supplier<Lab> script, Integer upAt, Integer onlineAt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static TestConfigs.IfaceBuilder wan() {
        return iface("wan").device("eth0").track("198.51.100.1");
    }

    /** t0 config, t1 address, t2 link up: up and online (initial_state online) from t2. */
    static Lab up() {
        return new Lab().load(config(wan())).addr(2, "192.0.2.10/24").link(2, "eth0", true);
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("link up starts the uptime and the online time", UptimeTest::up, 2, 2),
                new Row("probe rounds change neither", () -> up().rounds("wan", "U", "U", "U"), 2, 2),
                new Row("going offline keeps the uptime, drops online",
                        () -> up().rounds("wan", "D", "D", "D", "D", "D"), 2, null),
                new Row("back online after being offline: online restarts, uptime stays",
                        () -> up().rounds("wan", "D", "D", "D", "D", "D", "U", "U", "U", "U", "U"), 2, 12),
                new Row("link down: not up, not online", () -> up().round("wan", "U").link(2, "eth0", false), null, null),
                new Row("link up again: up from then", () -> up().link(2, "eth0", false).link(2, "eth0", true), 4, 4),
                new Row("carrier loss is a link down", () -> up().carrier(2, "eth0", false), null, null),
                new Row("ifdown: not up", () -> up().command(Command.IFDOWN, "wan"), null, null),
                new Row("ifup: up from the command", () -> up().command(Command.IFDOWN, "wan").command(Command.IFUP, "wan"), 4, 4),
                new Row("a config reload that restarts the tracker keeps the uptime",
                        () -> up().load(config(wan().track("198.51.100.1", "198.51.100.2"))), 2, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void upAndOnlineTimesComeFromEvents(Row row) {
        Lab lab = row.script().get();
        Tracker t = lab.tracker("wan", Family.IPV4);
        assertThat(t.upSince()).as("up since").isEqualTo(at(row.upAt()));
        assertThat(t.onlineSince()).as("online since").isEqualTo(at(row.onlineAt()));
        StatusSnapshot.FamilyStatus shown = StatusSnapshot.of(lab.state).iface("wan").orElseThrow().families().getFirst();
        assertThat(shown.upSince()).as("the snapshot shows it").isEqualTo(t.upSince());
    }

    private static Instant at(Integer seconds) {
        return seconds == null ? null : Lab.t(seconds);
    }
}
