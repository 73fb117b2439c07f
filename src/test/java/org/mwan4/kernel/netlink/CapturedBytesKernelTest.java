package org.mwan4.kernel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.plan.IpRule;
import org.mwan4.config.Family;
import org.mwan4.testing.TestNetns;

/**
 * Reads raw datagrams from the kernel through {@link NetlinkSocket} and checks they decode to what the
 * namespace holds; with {@code -Dnetlink.fixtures.record=true} also stores them as the fixtures
 * {@link CapturedBytesTest} decodes without root.
 */
@Tag("kernel")
class CapturedBytesKernelTest {
    private static final int RTNLGRP_IPV4_ROUTE = 7; // linux/rtnetlink.h

    @Test
    void liveBytesDecodeToWhatTheNamespaceHolds() throws Exception {
        try (TestNetns ns = TestNetns.create("capture");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            for (String[] cmd : CapturedDumps.SETUP) {
                ns.exec(cmd);
            }
            Map<String, List<byte[]>> captured = new LinkedHashMap<>();
            try (NetlinkSocket s = t.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE));
                 NetlinkSocket monitor = t.call(() -> NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE))) {
                s.receiveTimeout(Duration.ofSeconds(5));
                monitor.receiveTimeout(Duration.ofSeconds(5));
                captured.put("link-dump", dump(s, LinkMessage.RTM_GETLINK, new LinkMessage(0, 0, 0, 0, 0, null, null, null), 1));
                captured.put("addr-dump", dump(s, AddressMessage.RTM_GETADDR, new AddressMessage(0, 0, 0, 0, 0, null, null, null), 2));
                captured.put("route4-dump", dump(s, RouteMessage.RTM_GETROUTE, route(PlanMessages.AF_INET), 3));
                captured.put("route6-dump", dump(s, RouteMessage.RTM_GETROUTE, route(PlanMessages.AF_INET6), 4));
                captured.put("rule4-dump", dump(s, RuleMessage.RTM_GETRULE, rule(PlanMessages.AF_INET), 5));
                captured.put("rule6-dump", dump(s, RuleMessage.RTM_GETRULE, rule(PlanMessages.AF_INET6), 6));

                RuleMessage exists = PlanMessages.rule(new IpRule(Family.IPV4, 2001, "", 0x100, 0x3f00, IpRule.Action.LOOKUP, 7));
                s.send(NlCodec.encode(new NlMessage(NlHeader.request(RuleMessage.RTM_NEWRULE,
                        NlHeader.NLM_F_ACK | NlHeader.NLM_F_CREATE | NlHeader.NLM_F_EXCL, 7), exists)));
                captured.put("rule-exists-error", List.of(receive(s)));

                monitor.joinGroup(RTNLGRP_IPV4_ROUTE);
                ns.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.254", "table", "7");
                ns.exec("ip", "route", "del", "203.0.113.0/24", "table", "7");
                captured.put("route-notifications", List.of(receive(monitor), receive(monitor)));
            }

            Map<String, Integer> links = CapturedDumps.links(CapturedDumps.decode(captured.get("link-dump")));
            for (Map.Entry<String, List<byte[]>> e : captured.entrySet()) {
                CapturedDumps.check(e.getKey(), CapturedDumps.decode(e.getValue()), links);
            }
            assertThat(captured.keySet()).containsExactlyElementsOf(CapturedDumps.KINDS);
            if (Boolean.getBoolean("netlink.fixtures.record")) {
                for (Map.Entry<String, List<byte[]>> e : captured.entrySet()) {
                    CapturedDumps.store(e.getKey(), e.getValue());
                }
            }
        }
    }

    private static RouteMessage route(int af) {
        return new RouteMessage(af, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, 0, 0, null);
    }

    private static RuleMessage rule(int af) {
        return new RuleMessage(af, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, 0);
    }

    /** Sends a dump request and returns every datagram of the answer, the last one holding NLMSG_DONE. */
    private static List<byte[]> dump(NetlinkSocket s, int type, NlPayload query, int seq) {
        s.send(NlCodec.encode(new NlMessage(NlHeader.request(type, NlHeader.NLM_F_DUMP, seq), query)));
        List<byte[]> out = new ArrayList<>();
        while (true) {
            byte[] d = receive(s);
            out.add(d);
            if (NlCodec.decode(d).stream().anyMatch(m -> m.payload() instanceof NlPayload.Done)) {
                return out;
            }
        }
    }

    private static byte[] receive(NetlinkSocket s) {
        byte[] rx = NetlinkSocket.newReceiveBuffer();
        int n = s.receive(rx);
        assertThat(n).as("a datagram within the timeout").isPositive();
        return java.util.Arrays.copyOf(rx, n);
    }
}
