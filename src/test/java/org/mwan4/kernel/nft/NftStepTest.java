package org.mwan4.kernel.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.kernel.nft.NftFixtures.cidrs;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mwan4.config.Family;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;
import org.mwan4.plan.Op;

/** How a step's ops split into nft text before, the direct element batch, and nft text after. */
class NftStepTest {
    private static final NftSet CONNECTED4 = new NftSet("mwan4_connected_ipv4", "ipv4_addr", true, 0, cidrs("192.0.2.0/24", "224.0.0.0/3"), true);
    private static final NftSet CONNECTED4_EMPTY = new NftSet("mwan4_connected_ipv4", "ipv4_addr", true, 0, cidrs(), true);
    private static final NftSet STICKY = new NftSet("mwan4_rule_ipv4_s", "ipv4_addr . mark", false, 600, cidrs(), false);
    private static final NftChain PREROUTING = new NftChain("mwan4_prerouting", null, List.of("ip daddr @mwan4_connected_ipv4 return"));
    private static final Op RULE = new Op.AddIpRule(new IpRule(Family.IPV4, 2001, null, 0x100, 0x3f00, IpRule.Action.LOOKUP, 1));

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of("start: a new set's elements go direct between the set and the chains",
                        List.of(new Op.AddSet(CONNECTED4), new Op.AddSet(STICKY), new Op.AddChain(PREROUTING)),
                        new NftStep(List.of(new Op.AddSet(CONNECTED4_EMPTY)),
                                List.of(SetElements.add("mwan4_connected_ipv4", Family.IPV4, cidrs("192.0.2.0/24", "224.0.0.0/3"))),
                                List.of(new Op.AddSet(STICKY), new Op.AddChain(PREROUTING)), List.of())),
                Arguments.of("route churn: deletes and adds of one set merge into one change",
                        List.of(RULE, new Op.DeleteElements("mwan4_connected_ipv6", cidrs("2001:db8:1::/48")),
                                new Op.AddElements("mwan4_connected_ipv6", cidrs("2001:db8:2::/48")),
                                new Op.AddElements("mwan4_custom_ipv4", cidrs("198.51.100.0/24")), new Op.ReplaceChain(PREROUTING)),
                        new NftStep(List.of(),
                                List.of(new SetElements("mwan4_connected_ipv6", Family.IPV6, cidrs("2001:db8:2::/48"), cidrs("2001:db8:1::/48")),
                                        SetElements.add("mwan4_custom_ipv4", Family.IPV4, cidrs("198.51.100.0/24"))),
                                List.of(new Op.ReplaceChain(PREROUTING)), List.of(RULE))),
                Arguments.of("other sets' elements stay nft text",
                        List.of(new Op.AddElements("mwan4_rule_ipv4_https", cidrs("192.0.2.9")), new Op.DeleteChain("mwan4_old")),
                        new NftStep(List.of(new Op.AddElements("mwan4_rule_ipv4_https", cidrs("192.0.2.9")), new Op.DeleteChain("mwan4_old")),
                                List.of(), List.of(), List.of())),
                Arguments.of("a prefix of the other family stays text, for nft's error",
                        List.of(new Op.AddElements("mwan4_connected_ipv4", cidrs("2001:db8::/32"))),
                        new NftStep(List.of(new Op.AddElements("mwan4_connected_ipv4", cidrs("2001:db8::/32"))), List.of(), List.of(), List.of())),
                Arguments.of("a set deleted after its elements changed keeps everything in one transaction",
                        List.of(new Op.AddElements("mwan4_connected_ipv4", cidrs("192.0.2.0/24")), new Op.DeleteSet("mwan4_connected_ipv4"),
                                new Op.AddSet(CONNECTED4), RULE),
                        new NftStep(List.of(new Op.AddElements("mwan4_connected_ipv4", cidrs("192.0.2.0/24")), new Op.DeleteSet("mwan4_connected_ipv4"),
                                new Op.AddSet(CONNECTED4)), List.of(), List.of(), List.of(RULE))),
                Arguments.of("a redefined set is deleted and re-created before its elements go direct",
                        List.of(new Op.ReplaceChain(new NftChain("mwan4_prerouting", null, List.of())), new Op.DeleteSet("mwan4_connected_ipv4"),
                                new Op.AddSet(CONNECTED4), new Op.ReplaceChain(PREROUTING), new Op.DeleteSet("mwan4_custom_ipv4")),
                        new NftStep(List.of(new Op.ReplaceChain(new NftChain("mwan4_prerouting", null, List.of())), new Op.DeleteSet("mwan4_connected_ipv4"),
                                new Op.AddSet(CONNECTED4_EMPTY)),
                                List.of(SetElements.add("mwan4_connected_ipv4", Family.IPV4, cidrs("192.0.2.0/24", "224.0.0.0/3"))),
                                List.of(new Op.ReplaceChain(PREROUTING), new Op.DeleteSet("mwan4_custom_ipv4")), List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void splits(String name, List<Op> ops, NftStep expected) {
        assertThat(NftStep.of(ops)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("names")
    void directSets(String set, boolean direct) {
        assertThat(NftStep.isDirect(set)).isEqualTo(direct);
    }

    static Stream<Arguments> names() {
        return Stream.of(Arguments.of("mwan4_connected_ipv4", true), Arguments.of("mwan4_custom_ipv6", true),
                Arguments.of("mwan4_dynamic_ipv4", true), Arguments.of("mwan4_rule_ipv4_https", false),
                Arguments.of("mwan4_connected_x", false), Arguments.of("pbr_connected_ipv4", false));
    }

    @Test
    void anEmptyStepIsEmpty() {
        assertThat(NftStep.of(List.of(RULE)).isEmpty()).isTrue();
        assertThat(NftStep.of(List.of(new Op.AddSet(CONNECTED4_EMPTY))).before()).containsExactly(new Op.AddSet(CONNECTED4_EMPTY));
        assertThat(NftStep.of(List.of()).elements()).isEqualTo(List.of());
        assertThat(new TreeSet<>(NftStep.of(List.of(new Op.AddSet(CONNECTED4))).elements().getFirst().added())).isEqualTo(CONNECTED4.elements());
    }
}
