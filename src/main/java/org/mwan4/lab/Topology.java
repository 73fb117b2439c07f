package org.mwan4.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * What a lab consists of, as plain values: namespace names, devices and addresses. Pure; {@link Lab} makes it real.
 * Every address is from a documentation range (RFC 5737, RFC 3849). Device names are fixed and short because each
 * one lives in its lab's own namespace, so two labs never collide on them; only namespace names carry the lab id.
 *
 * <pre>
 *  lan (eth0 192.0.2.10)           router                        ispK                         inet
 *     eth0 ----------- lan0 192.0.2.1/24          wanK 198.51.100.(8K+2)/29 --- down0 .(8K+1)
 *                      2001:db8::1/64                  2001:db8:K::2/64            2001:db8:K::1
 *                                                                                 up0 203.0.113.(8K+2)/29 --- ispK .(8K+1)
 *                                                                                     2001:db8:10K::2/64         2001:db8:10K::1
 *                                                                     servers + targets on inet's lo: 203.0.113.200.., 2001:db8:ffff::200..
 * </pre>
 *
 * @param labId    the namespace prefix of this lab, e.g. {@code mwan4t-3fa9c1}
 * @param lan      the LAN client side
 * @param isps     one link per ISP, index 1..N
 * @param internet the namespace behind all ISPs
 */
public record Topology(String labId, Lan lan, List<IspLink> isps, Internet internet) {
    public static final int MAX_ISPS = 8;
    public static final int MAX_LAN_HOSTS = 50;
    public static final int MAX_TARGETS = 20;
    public static final String ROUTER_LAN_DEVICE = "lan0";
    public static final String LAN_DEVICE = "eth0";
    public static final String ISP_DOWN_DEVICE = "down0";
    public static final String ISP_UP_DEVICE = "up0";

    public Topology {
        isps = List.copyOf(isps);
    }

    /**
     * Lays out a lab.
     *
     * @param labId    namespace prefix (prefix + random suffix)
     * @param ispCount 1..8
     * @param lanHosts addresses the LAN client holds (1..50), so tests can vary the source address
     * @param targets  track targets in the internet namespace per family (1..20), besides the server address
     */
    public static Topology of(String labId, int ispCount, int lanHosts, int targets) {
        if (ispCount < 1 || ispCount > MAX_ISPS) {
            throw new IllegalArgumentException("ISP count " + ispCount + " out of range 1.." + MAX_ISPS);
        }
        if (lanHosts < 1 || lanHosts > MAX_LAN_HOSTS) {
            throw new IllegalArgumentException("LAN host count " + lanHosts + " out of range 1.." + MAX_LAN_HOSTS);
        }
        if (targets < 1 || targets > MAX_TARGETS) {
            throw new IllegalArgumentException("target count " + targets + " out of range 1.." + MAX_TARGETS);
        }
        List<Cidr> hosts4 = new ArrayList<>();
        List<Cidr> hosts6 = new ArrayList<>();
        for (int i = 0; i < lanHosts; i++) {
            hosts4.add(new Cidr(IpAddress.v4(192, 0, 2, 10 + i), 24));
            hosts6.add(new Cidr(v6(0x2001_0db8_0000_0000L, 0x10 + i), 64));
        }
        Lan lan = new Lan(labId + "-lan", new Cidr(IpAddress.v4(192, 0, 2, 1), 24),
                new Cidr(v6(0x2001_0db8_0000_0000L, 1), 64), hosts4, hosts6);
        List<IspLink> isps = new ArrayList<>();
        for (int k = 1; k <= ispCount; k++) {
            long wan6 = 0x2001_0db8_0000_0000L | ((long) k << 16);
            long up6 = 0x2001_0db8_0000_0000L | ((long) (0x100 + k) << 16);
            isps.add(new IspLink(k, labId + "-isp" + k, "wan" + k, "isp" + k, 10 * k,
                    new Cidr(IpAddress.v4(198, 51, 100, 8 * k + 2), 29), IpAddress.v4(198, 51, 100, 8 * k + 1),
                    new Cidr(v6(wan6, 2), 64), v6(wan6, 1),
                    new Cidr(IpAddress.v4(203, 0, 113, 8 * k + 2), 29), IpAddress.v4(203, 0, 113, 8 * k + 1),
                    new Cidr(v6(up6, 2), 64), v6(up6, 1)));
        }
        List<IpAddress> t4 = new ArrayList<>();
        List<IpAddress> t6 = new ArrayList<>();
        for (int j = 0; j < targets; j++) {
            t4.add(IpAddress.v4(203, 0, 113, 201 + j));
            t6.add(v6(0x2001_0db8_ffff_0000L, 0x201 + j));
        }
        Internet internet = new Internet(labId + "-inet", IpAddress.v4(203, 0, 113, 200),
                v6(0x2001_0db8_ffff_0000L, 0x200), t4, t6);
        return new Topology(labId, lan, isps, internet);
    }

    private static IpAddress v6(long hi, long lo) {
        return new IpAddress(Family.IPV6, hi, lo);
    }

    public String routerNamespace() {
        return labId + "-router";
    }

    /** All namespaces, in the order they are created (deletion goes the other way). */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        all.add(lan.namespace());
        all.add(routerNamespace());
        isps.forEach(i -> all.add(i.namespace()));
        all.add(internet.namespace());
        return all;
    }

    /** ISP {@code k}, 1-based as in {@code wan1}. */
    public IspLink isp(int k) {
        if (k < 1 || k > isps.size()) {
            throw new IllegalArgumentException("no ISP " + k + " in this lab (it has 1.." + isps.size() + ")");
        }
        return isps.get(k - 1);
    }

    /**
     * The ISP through which a packet with this source address reached the internet: the router's WAN address
     * (its masquerade address) or the ISP's own upstream address. Empty for anything else.
     */
    public Optional<IspLink> ispOfSource(IpAddress source) {
        return isps.stream().filter(i -> i.owns(source)).findFirst();
    }

    /** The LAN side. @param hosts4 the client's IPv4 addresses, first one primary */
    public record Lan(String namespace, Cidr router4, Cidr router6, List<Cidr> hosts4, List<Cidr> hosts6) {
        public Lan {
            hosts4 = List.copyOf(hosts4);
            hosts6 = List.copyOf(hosts6);
        }

        public IpAddress client(Family f) {
            return (f == Family.IPV4 ? hosts4 : hosts6).getFirst().address();
        }

        public Cidr router(Family f) {
            return f == Family.IPV4 ? router4 : router6;
        }
    }

    /**
     * One ISP: the router's WAN link to it and its link to the internet.
     *
     * @param wanDevice    the router's device ({@code wan1}), also the WAN's name in tallies
     * @param inetDevice   the internet namespace's device towards this ISP ({@code isp1})
     * @param metric       the router's default route metric through this ISP (lower wins)
     * @param router4      the router's WAN address; the ISP routes it, so it is what the internet sees
     * @param upstream4    the ISP's own address on its link to the internet
     * @param upstreamGw4  the internet's address on that link
     */
    public record IspLink(int index, String namespace, String wanDevice, String inetDevice, int metric,
                          Cidr router4, IpAddress gateway4, Cidr router6, IpAddress gateway6,
                          Cidr upstream4, IpAddress upstreamGw4, Cidr upstream6, IpAddress upstreamGw6) {

        public Cidr routerAddress(Family f) {
            return f == Family.IPV4 ? router4 : router6;
        }

        public IpAddress gateway(Family f) {
            return f == Family.IPV4 ? gateway4 : gateway6;
        }

        /** The customer prefix the ISP routes to the router (its WAN subnet). */
        public Cidr customer(Family f) {
            return routerAddress(f).network();
        }

        public Cidr upstream(Family f) {
            return f == Family.IPV4 ? upstream4 : upstream6;
        }

        public IpAddress upstreamGateway(Family f) {
            return f == Family.IPV4 ? upstreamGw4 : upstreamGw6;
        }

        boolean owns(IpAddress a) {
            Family f = a.family();
            return customer(f).contains(a) || upstream(f).network().contains(a);
        }
    }

    /**
     * The internet: a server address and track targets, all on its loopback, reachable through every ISP.
     */
    public record Internet(String namespace, IpAddress server4, IpAddress server6,
                           List<IpAddress> targets4, List<IpAddress> targets6) {
        public Internet {
            targets4 = List.copyOf(targets4);
            targets6 = List.copyOf(targets6);
        }

        public IpAddress server(Family f) {
            return f == Family.IPV4 ? server4 : server6;
        }

        public List<IpAddress> targets(Family f) {
            return f == Family.IPV4 ? targets4 : targets6;
        }

        /** Server first, then the targets, IPv4 before IPv6. */
        public List<IpAddress> addresses() {
            List<IpAddress> all = new ArrayList<>();
            all.add(server4);
            all.addAll(targets4);
            all.add(server6);
            all.addAll(targets6);
            return all;
        }
    }
}
