package org.mwan4.probe;

import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.IpAddress;
import org.mwan4.testing.TestNetns;

/**
 * The probe lab: a router namespace with two WANs into two ISP namespaces, both routing to one target
 * namespace, plus a "slow" namespace behind ISP1 whose kernel does not answer pings (a userspace responder
 * does, late). Documentation addresses only.
 * <pre>
 *            wan1 192.0.2.1/29        up1 192.0.2.2      dn1 192.0.2.17/29    t1 192.0.2.18
 *  router ---------------------- isp1 ------------------------------------------------ target (203.0.113.10, .11, 2001:db8:ff::10)
 *     |      wan2 198.51.100.1/29     up2 198.51.100.2   dn2 198.51.100.17/29 t2 198.51.100.18
 *     +------------------------- isp2 ------------------------------------------------ target
 *                                 isp1 sl 192.0.2.25/29 --- s0 192.0.2.26  slow (203.0.113.100)
 * </pre>
 * The router's main table has both defaults, wan2 preferred (metric 10) over wan1 (metric 20), as netifd
 * installs them. 203.0.113.66 / 2001:db8:ff::66 are blackholed in both ISPs (dead targets); 192.0.2.3 is
 * on wan1's link but owned by nobody (dead for arping).
 */
final class ProbeLab implements AutoCloseable {
    static final IpAddress WAN1 = ip("192.0.2.1");
    static final IpAddress WAN2 = ip("198.51.100.1");
    static final IpAddress WAN1_V6 = ip("2001:db8:1::1");
    static final IpAddress ISP1 = ip("192.0.2.2");
    static final IpAddress ON_LINK_NOBODY = ip("192.0.2.3");
    static final IpAddress LIVE = ip("203.0.113.10");
    static final IpAddress LIVE_NO_SERVICE = ip("203.0.113.11");
    static final IpAddress LIVE_V6 = ip("2001:db8:ff::10");
    static final IpAddress DEAD = ip("203.0.113.66");
    static final IpAddress DEAD_V6 = ip("2001:db8:ff::66");
    static final IpAddress SLOW = ip("203.0.113.100");

    final TestNetns router;
    final TestNetns isp1;
    final TestNetns isp2;
    final TestNetns target;
    final TestNetns slow;
    private final List<TestNetns> all = new ArrayList<>();

    private ProbeLab() {
        router = add(TestNetns.create("prr"));
        isp1 = add(TestNetns.create("pri1"));
        isp2 = add(TestNetns.create("pri2"));
        target = add(TestNetns.create("prt"));
        slow = add(TestNetns.create("prs"));
    }

    private TestNetns add(TestNetns ns) {
        all.add(ns);
        return ns;
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    /** Builds the lab (skips the calling test when not root). */
    static ProbeLab create() {
        ProbeLab lab = new ProbeLab();
        try {
            lab.wire();
            return lab;
        } catch (RuntimeException | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    private void wire() {
        veth(router, "wan1", isp1, "up1");
        veth(router, "wan2", isp2, "up2");
        veth(isp1, "dn1", target, "t1");
        veth(isp2, "dn2", target, "t2");
        veth(isp1, "sl", slow, "s0");
        for (TestNetns isp : List.of(isp1, isp2)) {
            isp.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
            isp.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
        }
        slow.exec("sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1");

        addr(router, "wan1", "192.0.2.1/29", "2001:db8:1::1/64");
        addr(router, "wan2", "198.51.100.1/29", "2001:db8:2::1/64");
        addr(isp1, "up1", "192.0.2.2/29", "2001:db8:1::2/64");
        addr(isp2, "up2", "198.51.100.2/29", "2001:db8:2::2/64");
        addr(isp1, "dn1", "192.0.2.17/29", "2001:db8:11::1/64");
        addr(isp2, "dn2", "198.51.100.17/29", "2001:db8:12::1/64");
        addr(target, "t1", "192.0.2.18/29", "2001:db8:11::2/64");
        addr(target, "t2", "198.51.100.18/29", "2001:db8:12::2/64");
        addr(isp1, "sl", "192.0.2.25/29");
        addr(slow, "s0", "192.0.2.26/29");
        for (String a : List.of("203.0.113.10/32", "203.0.113.11/32", "2001:db8:ff::10/128")) {
            target.exec("ip", "addr", "add", a, "dev", "lo");
        }
        slow.exec("ip", "addr", "add", "203.0.113.100/32", "dev", "lo");

        router.exec("ip", "route", "add", "default", "via", "198.51.100.2", "dev", "wan2", "metric", "10");
        router.exec("ip", "route", "add", "default", "via", "192.0.2.2", "dev", "wan1", "metric", "20");
        router.exec("ip", "-6", "route", "add", "default", "via", "2001:db8:2::2", "dev", "wan2", "metric", "10");
        router.exec("ip", "-6", "route", "add", "default", "via", "2001:db8:1::2", "dev", "wan1", "metric", "20");
        isp1.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.18");
        isp1.exec("ip", "route", "add", "203.0.113.100/32", "via", "192.0.2.26");
        isp2.exec("ip", "route", "add", "203.0.113.0/24", "via", "198.51.100.18");
        isp1.exec("ip", "-6", "route", "add", "2001:db8:ff::/64", "via", "2001:db8:11::2");
        isp2.exec("ip", "-6", "route", "add", "2001:db8:ff::/64", "via", "2001:db8:12::2");
        for (TestNetns isp : List.of(isp1, isp2)) {
            isp.exec("ip", "route", "add", "blackhole", "203.0.113.66/32");
            isp.exec("ip", "-6", "route", "add", "blackhole", "2001:db8:ff::66/128");
        }
        target.exec("ip", "route", "add", "192.0.2.0/24", "via", "192.0.2.17");
        target.exec("ip", "route", "add", "198.51.100.0/24", "via", "198.51.100.17");
        target.exec("ip", "-6", "route", "add", "2001:db8:1::/64", "via", "2001:db8:11::1");
        target.exec("ip", "-6", "route", "add", "2001:db8:2::/64", "via", "2001:db8:12::1");
        slow.exec("ip", "route", "add", "default", "via", "192.0.2.25");
    }

    private static void veth(TestNetns a, String aName, TestNetns b, String bName) {
        a.exec("ip", "link", "add", aName, "type", "veth", "peer", "name", bName, "netns", b.name());
        a.exec("ip", "link", "set", aName, "up");
        b.exec("ip", "link", "set", bName, "up");
    }

    private static void addr(TestNetns ns, String dev, String... cidrs) {
        for (String c : cidrs) {
            if (c.contains(":")) {
                ns.exec("ip", "-6", "addr", "add", c, "dev", dev, "nodad");
            } else {
                ns.exec("ip", "addr", "add", c, "dev", dev);
            }
        }
    }

    /** Packets a named counter of {@code table inet lab} has seen ({@code nft list counter inet lab NAME}). */
    static long counter(TestNetns ns, String name) {
        String out = ns.exec("nft", "list", "counter", "inet", "lab", name);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no packet count in: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    @Override
    public void close() {
        for (TestNetns ns : all.reversed()) {
            ns.close();
        }
    }
}
