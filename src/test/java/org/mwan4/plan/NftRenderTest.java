package org.mwan4.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;

class NftRenderTest {

    @Test
    void everyLineKnowsItsOpAndIpOpsHaveNoLines() {
        NftChain chain = new NftChain("mwan4_x", null, List.of("meta l4proto tcp accept", "meta l4proto udp accept"));
        IpRule rule = new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 1);
        List<Op> ops = List.of(new Op.AddIpRule(rule), new Op.AddChain(chain), new Op.DeleteChain("mwan4_y"),
                new Op.AddElements("mwan4_connected_ipv4", new TreeSet<>(List.of(TestStates.cidr("192.0.2.0/24")))));
        NftScript s = NftRender.script(ops);
        assertThat(s.text()).isEqualTo("""
                add chain inet fw4 mwan4_x
                add rule inet fw4 mwan4_x meta l4proto tcp accept
                add rule inet fw4 mwan4_x meta l4proto udp accept
                flush chain inet fw4 mwan4_y
                delete chain inet fw4 mwan4_y
                add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/24 }
                """);
        assertThat(s.opOfLine()).containsExactly(1, 1, 1, 2, 2, 3);
        assertThat(s.opAt(4)).isEqualTo(2);
        assertThat(s.opAt(7)).isEqualTo(-1);
        assertThat(s.summaries()).containsExactly("ip -4 rule add pref 2001 fwmark 0x100/0x3f00 lookup 1",
                "add chain mwan4_x (2 rules)", "delete chain mwan4_y", "add element mwan4_connected_ipv4 { 192.0.2.0/24 }");
        assertThat(s.opCount()).isEqualTo(4);
    }

    @Test
    void emptyDiffIsAnEmptyScript() {
        assertThat(NftRender.script(List.of()).isEmpty()).isTrue();
    }

    @Test
    void setDeclarations() {
        assertThat(NftRender.declaration(new NftSet("a", "ipv4_addr", true, 0, new TreeSet<>(), true)))
                .isEqualTo("type ipv4_addr; flags interval;");
        assertThat(NftRender.declaration(new NftSet("a", "ipv6_addr", true, 0, new TreeSet<>(), false)))
                .isEqualTo("type ipv6_addr; flags interval; auto-merge;");
        assertThat(NftRender.declaration(new NftSet("a", "ipv4_addr . mark", false, 600, new TreeSet<>(), false)))
                .isEqualTo("type ipv4_addr . mark; flags dynamic,timeout; timeout 600s;");
    }

    @Test
    void templatesMustHaveTheirPlaceholders() {
        NftTemplates ok = TestTemplates.load();
        assertThatThrownBy(() -> new NftTemplates("table inet fw4 {\n}\n", ok.interfaces(), ok.strategies(), ok.rules()))
                .hasMessageContaining("@DECLARE@");
    }
}
