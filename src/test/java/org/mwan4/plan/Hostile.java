package org.mwan4.plan;

import java.util.List;
import org.mwan4.config.Config;
import org.mwan4.config.Strategy;
import org.mwan4.core.State;

/**
 * A config the loader would refuse (names with quotes, semicolons, nft keywords), built from records to prove
 * the planner cannot be made to write nft syntax from config values even when validation is bypassed.
 */
final class Hostile {
    static final String IFACE = "wan\" accept; flush ruleset; \"";
    static final String STRATEGY = "s;flush ruleset";
    static final String RULE = "r\" drop comment \"x";

    private Hostile() {}

    static Config config() {
        return TestStates.config(TestStates.globals(0x3F00, true, "\"; drop", List.of(), false),
                List.of(TestStates.iface(IFACE, 1, "eth0", TestStates.V4), TestStates.iface("wanb", 2, "eth1\"x", TestStates.V4)),
                List.of(TestStates.route("r1", IFACE, 1, 1), TestStates.route("r2", "wanb", 1, 1)),
                List.of(TestStates.strategy(STRATEGY, Strategy.LastResort.UNREACHABLE, "r1", "r2")),
                List.of(TestStates.rule(RULE).proto("tcp").dport("443").strategy(STRATEGY).logging().sticky(60).build(),
                        TestStates.rule("set\"rule").ipset("x; flush ruleset").strategy(STRATEGY).build(),
                        TestStates.rule("all").strategy(STRATEGY).build()));
    }

    static State state() {
        State s = TestStates.state(config(), """
                link 1 lo
                link 3 eth0
                link 4 eth1"x
                status wanb ipv4 online
                """);
        return TestStates.withStatus(s, IFACE, TestStates.V4, org.mwan4.core.TrackerStatus.ONLINE);
    }
}
