package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.RouteFact;
import org.mwan4.plan.IpRule;

/**
 * Bytes recorded from the kernel (one datagram per hex line, in {@code captured/<kind>.hex}) and what
 * they must decode to. The namespace they come from is built by {@link #SETUP}; the kernel test records
 * them anew with {@code -Dnetlink.fixtures.record=true} and checks live bytes against the same expectations.
 */
final class CapturedDumps {
    static final String[][] SETUP = {
            {"ip", "link", "add", "fx0", "type", "veth", "peer", "name", "fx1"},
            {"ip", "link", "set", "fx1", "up"},
            {"ip", "link", "set", "fx0", "up"},
            {"ip", "addr", "add", "192.0.2.1/24", "dev", "fx0"},
            {"ip", "addr", "add", "2001:db8::1/64", "dev", "fx0", "nodad"},
            {"ip", "route", "add", "default", "via", "192.0.2.254", "dev", "fx0", "table", "7", "proto", "static", "metric", "5"},
            {"ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.253", "table", "1000"},
            {"ip", "-6", "route", "add", "unreachable", "2001:db8:7::/48", "table", "7"},
            {"ip", "rule", "add", "pref", "1001", "iif", "fx0", "lookup", "7"},
            {"ip", "rule", "add", "pref", "2001", "fwmark", "0x100/0x3f00", "lookup", "7"},
            {"ip", "-6", "rule", "add", "pref", "3001", "fwmark", "0x100/0x3f00", "unreachable"},
    };

    /** The kinds recorded, each a file {@code captured/<kind>.hex}. */
    static final List<String> KINDS = List.of("link-dump", "addr-dump", "route4-dump", "route6-dump", "rule4-dump", "rule6-dump",
            "rule-exists-error", "route-notifications");

    private CapturedDumps() {}

    static List<NlMessage> decode(List<byte[]> datagrams) {
        List<NlMessage> out = new ArrayList<>();
        for (byte[] d : datagrams) {
            out.addAll(NlCodec.decode(d, 0, d.length, NlCodec.Dialect.ROUTE));
        }
        return out;
    }

    static List<byte[]> load(String kind) throws IOException {
        try (InputStream in = CapturedDumps.class.getResourceAsStream("captured/" + kind + ".hex")) {
            assertThat(in).as("fixture captured/%s.hex", kind).isNotNull();
            List<byte[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(HexFormat.of().parseHex(line.strip()));
                }
            }
            return out;
        }
    }

    static void store(String kind, List<byte[]> datagrams) throws IOException {
        Path dir = Path.of(System.getProperty("mwan4.repo", "."), "src/test/resources/org/mwan4/kernel/netlink/captured");
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("# ").append(kind).append(": netlink datagrams recorded from Linux ")
                .append(System.getProperty("os.version")).append(" by CapturedBytesKernelTest, one per line\n");
        for (byte[] d : datagrams) {
            sb.append(HexFormat.of().formatHex(d)).append('\n');
        }
        Files.writeString(dir.resolve(kind + ".hex"), sb.toString());
    }

    /** Checks what one kind of capture must hold; {@code links} gives ifindex by name from the link capture. */
    static void check(String kind, List<NlMessage> messages, Map<String, Integer> links) {
        assertThat(messages).as(kind).isNotEmpty().noneMatch(m -> m.payload() instanceof NlPayload.Malformed);
        switch (kind) {
            case "link-dump" -> {
                assertThat(messages.getLast().payload()).isEqualTo(new NlPayload.Done(0));
                assertThat(links).containsKeys("lo", "fx0", "fx1");
                LinkMessage fx0 = payloads(messages, LinkMessage.class).stream().filter(l -> "fx0".equals(l.name())).findFirst().orElseThrow();
                assertThat(RtnlEvents.linkChanged(fx0, RtnlEventsTest.AT))
                        .isEqualTo(new Event.LinkChanged(RtnlEventsTest.AT, links.get("fx0"), "fx0", true, true, "UP"));
                assertThat(messages).allMatch(m -> m.type() == NlHeader.NLMSG_DONE || m.header().has(NlHeader.NLM_F_MULTI));
            }
            case "addr-dump" -> assertThat(payloads(messages, AddressMessage.class).stream()
                    .map(a -> a.index() + " " + RtnlEvents.cidr(a).map(Cidr::toString).orElse("?")).toList())
                    .contains(links.get("lo") + " 127.0.0.1/8", links.get("fx0") + " 192.0.2.1/24", links.get("fx0") + " 2001:db8::1/64");
            case "route4-dump" -> assertThat(facts(messages)).contains(
                    new RouteFact(7, Family.IPV4, cidr("0.0.0.0/0"), ip("192.0.2.254"), links.get("fx0"), 5, "unicast", 4, 0, null, null),
                    new RouteFact(1000, Family.IPV4, cidr("198.51.100.0/24"), ip("192.0.2.253"), links.get("fx0"), 0, "unicast", 3, 0, null, null),
                    new RouteFact(255, Family.IPV4, cidr("192.0.2.1/32"), null, links.get("fx0"), 0, "local", 2, 254, null, ip("192.0.2.1")));
            case "route6-dump" -> assertThat(facts(messages)).contains(
                    new RouteFact(7, Family.IPV6, cidr("2001:db8:7::/48"), null, links.get("lo"), 1024, "unreachable", 3, 0, null, null),
                    new RouteFact(254, Family.IPV6, cidr("2001:db8::/64"), null, links.get("fx0"), 256, "unicast", 2, 0, null, null));
            case "rule4-dump" -> assertThat(rules(messages)).containsExactly(
                    new IpRule(Family.IPV4, 0, "", 0, 0, IpRule.Action.LOOKUP, 255),
                    new IpRule(Family.IPV4, 1001, "fx0", 0, 0, IpRule.Action.LOOKUP, 7),
                    new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 7),
                    new IpRule(Family.IPV4, 32766, "", 0, 0, IpRule.Action.LOOKUP, 254),
                    new IpRule(Family.IPV4, 32767, "", 0, 0, IpRule.Action.LOOKUP, 253));
            case "rule6-dump" -> assertThat(rules(messages)).contains(
                    new IpRule(Family.IPV6, 3001, "", 0x100, 0x3f00, IpRule.Action.UNREACHABLE, 0));
            case "rule-exists-error" -> {
                assertThat(messages).singleElement().satisfies(m -> {
                    NlPayload.Error e = (NlPayload.Error) m.payload();
                    assertThat(e.errno()).isEqualTo(17);
                    assertThat(e.request().type()).isEqualTo(RuleMessage.RTM_NEWRULE);
                    assertThat(m.seq()).isEqualTo(e.request().seq());
                });
            }
            case "route-notifications" -> assertThat(messages.stream().map(m -> RtnlEvents.toEvent(m, RtnlEventsTest.AT))
                    .flatMap(Optional::stream).toList()).containsExactly(
                    new Event.RouteAdded(RtnlEventsTest.AT, new RouteFact(7, Family.IPV4, cidr("203.0.113.0/24"), ip("192.0.2.254"),
                            links.get("fx0"), 0, "unicast", 3, 0, null, null)),
                    new Event.RouteRemoved(RtnlEventsTest.AT, new RouteFact(7, Family.IPV4, cidr("203.0.113.0/24"), ip("192.0.2.254"),
                            links.get("fx0"), 0, "unicast", 3, 0, null, null)));
            default -> throw new AssertionError("unknown capture " + kind);
        }
    }

    static Map<String, Integer> links(List<NlMessage> linkDump) {
        Map<String, Integer> out = new TreeMap<>();
        payloads(linkDump, LinkMessage.class).forEach(l -> out.put(l.name(), l.index()));
        return out;
    }

    private static <T> List<T> payloads(List<NlMessage> ms, Class<T> type) {
        return ms.stream().map(NlMessage::payload).filter(type::isInstance).map(type::cast).toList();
    }

    private static List<RouteFact> facts(List<NlMessage> ms) {
        return payloads(ms, RouteMessage.class).stream().map(RtnlEvents::routeFact).flatMap(Optional::stream).toList();
    }

    private static List<IpRule> rules(List<NlMessage> ms) {
        return payloads(ms, RuleMessage.class).stream().map(PlanMessages::ipRule).flatMap(Optional::stream).toList();
    }

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow();
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
