package org.mwan4.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * The {@code ip -batch}, {@code sysctl} and {@code nft -f} text that turns a {@link Topology} into namespaces.
 * Pure: the same topology always gives the same text, so it is checked without root.
 */
record LabScripts(Topology topology) {
    /** The lab's own nft table in ISP and internet namespaces (never in the router, which is mwan4's). */
    static final String LAB_TABLE = "inet mwan4lab";

    /**
     * Set in every namespace before any link exists, so new devices inherit them: no DAD delay for IPv6,
     * IPv6 addresses survive a link going down (ISP link down/up must not lose them), no reverse-path filter
     * (policy routing sends replies out of other devices than a plain route lookup would).
     */
    List<String> commonSysctls() {
        return List.of(
                "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                "net.ipv6.conf.all.keep_addr_on_down=1", "net.ipv6.conf.default.keep_addr_on_down=1",
                "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
    }

    /** For the router and the ISPs: they forward. */
    List<String> forwardingSysctls() {
        return List.of("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
    }

    /** Run in the router namespace: the veth pairs to the LAN and to each ISP (peers created in their namespace). */
    List<String> routerLinks() {
        List<String> out = new ArrayList<>();
        out.add("link add " + Topology.ROUTER_LAN_DEVICE + " type veth peer name " + Topology.LAN_DEVICE
                + " netns " + topology.lan().namespace());
        for (Topology.IspLink i : topology.isps()) {
            out.add("link add " + i.wanDevice() + " type veth peer name " + Topology.ISP_DOWN_DEVICE + " netns " + i.namespace());
        }
        return out;
    }

    /** Run in ISP {@code i}'s namespace: its veth pair to the internet. */
    List<String> ispLinks(Topology.IspLink i) {
        return List.of("link add " + Topology.ISP_UP_DEVICE + " type veth peer name " + i.inetDevice()
                + " netns " + topology.internet().namespace());
    }

    List<String> routerConfig() {
        Topology.Lan lan = topology.lan();
        List<String> out = new ArrayList<>();
        out.add("link set lo up");
        out.add(addr(lan.router4().toString(), Topology.ROUTER_LAN_DEVICE, false));
        out.add(addr(lan.router6().toString(), Topology.ROUTER_LAN_DEVICE, true));
        out.add("link set " + Topology.ROUTER_LAN_DEVICE + " up");
        for (Topology.IspLink i : topology.isps()) {
            out.add(addr(i.router4().toString(), i.wanDevice(), false));
            out.add(addr(i.router6().toString(), i.wanDevice(), true));
            out.add("link set " + i.wanDevice() + " up");
        }
        // like two DHCP WANs: a default route through each, different metrics
        for (Family f : Family.values()) {
            for (Topology.IspLink i : topology.isps()) {
                out.add("route add default via " + i.gateway(f) + " dev " + i.wanDevice() + " metric " + i.metric());
            }
        }
        return out;
    }

    List<String> lanConfig() {
        Topology.Lan lan = topology.lan();
        List<String> out = new ArrayList<>();
        out.add("link set lo up");
        lan.hosts4().forEach(h -> out.add(addr(h.toString(), Topology.LAN_DEVICE, false)));
        lan.hosts6().forEach(h -> out.add(addr(h.toString(), Topology.LAN_DEVICE, true)));
        out.add("link set " + Topology.LAN_DEVICE + " up");
        out.add("route add default via " + lan.router4().address() + " dev " + Topology.LAN_DEVICE);
        out.add("route add default via " + lan.router6().address() + " dev " + Topology.LAN_DEVICE);
        return out;
    }

    List<String> ispConfig(Topology.IspLink i) {
        List<String> out = new ArrayList<>();
        out.add("link set lo up");
        for (Family f : Family.values()) {
            boolean v6 = f == Family.IPV6;
            out.add(addr(i.gateway(f) + "/" + i.routerAddress(f).prefix(), Topology.ISP_DOWN_DEVICE, v6));
            out.add(addr(i.upstream(f).toString(), Topology.ISP_UP_DEVICE, v6));
        }
        out.add("link set " + Topology.ISP_DOWN_DEVICE + " up");
        out.add("link set " + Topology.ISP_UP_DEVICE + " up");
        for (Family f : Family.values()) {
            out.add("route add default via " + i.upstreamGateway(f) + " dev " + Topology.ISP_UP_DEVICE);
        }
        return out;
    }

    List<String> internetConfig() {
        Topology.Internet inet = topology.internet();
        List<String> out = new ArrayList<>();
        out.add("link set lo up");
        for (IpAddress a : inet.addresses()) {
            out.add(addr(a + "/" + a.bits(), "lo", a.family() == Family.IPV6));
        }
        for (Topology.IspLink i : topology.isps()) {
            for (Family f : Family.values()) {
                out.add(addr(i.upstreamGateway(f) + "/" + i.upstream(f).prefix(), i.inetDevice(), f == Family.IPV6));
            }
            out.add("link set " + i.inetDevice() + " up");
        }
        // the ISPs route their customers' prefixes: replies to a WAN address go back through that WAN's ISP
        for (Topology.IspLink i : topology.isps()) {
            for (Family f : Family.values()) {
                out.add("route add " + i.customer(f) + " via " + i.upstream(f).address() + " dev " + i.inetDevice());
            }
        }
        return out;
    }

    private static String addr(String cidr, String dev, boolean v6) {
        return "addr add " + cidr + " dev " + dev + (v6 ? " nodad" : "");
    }

    /**
     * The router's firewall as a home router has it: masquerade on every WAN (in {@code ip nat} / {@code ip6 nat},
     * not in fw4), and an empty {@code table inet fw4} that mwan4 writes into.
     */
    String routerNft() {
        String wans = topology.isps().stream().map(i -> "\"" + i.wanDevice() + "\"").collect(Collectors.joining(", "));
        StringBuilder sb = new StringBuilder();
        for (String fam : List.of("ip", "ip6")) {
            sb.append("table ").append(fam).append(" nat {\n")
              .append("\tchain srcnat {\n")
              .append("\t\ttype nat hook postrouting priority srcnat; policy accept;\n")
              .append("\t\toifname { ").append(wans).append(" } masquerade\n")
              .append("\t}\n}\n");
        }
        sb.append("table inet fw4 {\n}\n");
        return sb.toString();
    }

    /**
     * An ISP's filter: it accepts from its customer only the customer's prefix (BCP 38, so traffic the router
     * sends out of the wrong WAN is lost as at a real ISP), then runs the {@code impair} chain that
     * {@link IspImpairment} rewrites.
     */
    String ispNft(Topology.IspLink i) {
        String down = "iifname \"" + Topology.ISP_DOWN_DEVICE + "\"";
        return "table " + LAB_TABLE + " {\n"
                + "\tchain prerouting {\n"
                + "\t\ttype filter hook prerouting priority raw; policy accept;\n"
                + "\t\t" + down + " ip saddr != " + i.customer(Family.IPV4) + " drop\n"
                + "\t\t" + down + " ip6 saddr != { " + i.customer(Family.IPV6) + ", fe80::/10, :: } drop\n"
                + "\t\t" + down + " jump impair\n"
                + "\t}\n"
                + "\tchain impair {\n\t}\n"
                + "}\n";
    }

    /** The internet's filter: chains that {@link InternetImpairment} rewrites. */
    String internetNft() {
        return "table " + LAB_TABLE + " {\n"
                + "\tchain prerouting {\n"
                + "\t\ttype filter hook prerouting priority raw; policy accept;\n"
                + "\t}\n"
                + "\tchain output {\n"
                + "\t\ttype filter hook output priority filter; policy accept;\n"
                + "\t}\n"
                + "}\n";
    }
}
