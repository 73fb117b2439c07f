package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the reducer does with {@link Event.UseCgroupsPrepared}: the state takes it over; a problem is a warning. */
class UseCgroupsReduceTest {
    static final Instant AT = Instant.parse("2026-11-22T04:00:00Z");

    @Test
    void theStateTakesItOverAndLogsWhereTheCgroupsAre() {
        Next n = Reducer.reduce(State.initial(), new Event.UseCgroupsPrepared(AT, "/sys/fs/cgroup/mwan4", "mwan4", 2,
                List.of("wanb", "wan"), ""));
        UseCgroups u = n.state().useCgroups();
        assertThat(u.interfaces()).containsExactly("wan", "wanb");
        assertThat(u.ready("wan")).isTrue();
        assertThat(u.ready("lte")).isFalse();
        assertThat(u.directoryOf("wan")).isEqualTo("/sys/fs/cgroup/mwan4/wan");
        assertThat(u.nftMatch("wan")).isEqualTo("socket cgroupv2 level 2 \"mwan4/wan\"");
        assertThat(n.state().now()).isEqualTo(AT);
        assertThat(n.effects()).contains(new Effect.LogLine(Effect.Level.INFO,
                "mwan4 use: cgroups for wan, wanb under /sys/fs/cgroup/mwan4"));
    }

    @Test
    void aProblemIsAWarningAndNoInterfaceIsReady() {
        Next n = Reducer.reduce(State.initial(), new Event.UseCgroupsPrepared(AT, "", "", 0, List.of(),
                "cgroup2 is not mounted"));
        assertThat(n.state().useCgroups().ready("wan")).isFalse();
        assertThat(n.effects()).anySatisfy(e -> assertThat(e.toString()).contains("WARN")
                .contains("mwan4 use is unavailable: cgroup2 is not mounted"));
    }

    @Test
    void otherEventsKeepIt() {
        State s = Reducer.reduce(State.initial(), new Event.UseCgroupsPrepared(AT, "/c/mwan4", "mwan4", 2,
                List.of("wan"), "")).state();
        State after = Reducer.reduce(s, new Event.LinkChanged(AT.plusSeconds(1), 3, "eth0", true, true, "UP")).state();
        assertThat(after.useCgroups()).isEqualTo(s.useCgroups());
        after = Reducer.reduce(after, new Event.AddressAdded(AT.plusSeconds(2), 3,
                org.mwan4.config.Cidr.parse("192.0.2.2/24").orElseThrow())).state();
        assertThat(after.useCgroups()).isEqualTo(s.useCgroups());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a quote in the path|mw\"an4|wan",
            "an absolute path|/mwan4|wan",
            "a parent directory|../mwan4|wan",
            "a slash in an interface|mwan4|a/b",
            "a space in an interface|mwan4|a b"})
    void malformedOnesAreRefusedBeforeTheyReachNftText(String name, String nftPath, String iface) {
        Next n = Reducer.reduce(State.initial(), new Event.UseCgroupsPrepared(AT, "/x", nftPath, 2, List.of(iface), ""));
        assertThat(n.state().useCgroups()).isEqualTo(UseCgroups.NONE);
        assertThat(n.effects()).anySatisfy(e -> assertThat(e.toString()).contains("malformed UseCgroupsPrepared"));
    }
}
