package org.mwan4.lab;

import java.util.stream.Collectors;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;

/** The human text of {@link Lab#describe()}: namespaces, links, addresses, routes, servers, and how to poke. */
final class LabDescription {
    private LabDescription() {}

    static String of(Topology t) {
        StringBuilder sb = new StringBuilder();
        Topology.Lan lan = t.lan();
        Topology.Internet inet = t.internet();
        sb.append("mwan4 lab ").append(t.labId()).append(": LAN client, router, ").append(t.isps().size())
          .append(" ISPs, internet\n\n");
        sb.append(String.format("  %-22s %s %s %s, default via %s / %s%n", lan.namespace(), Topology.LAN_DEVICE,
                join(lan.hosts4()), join(lan.hosts6()), lan.router4().address(), lan.router6().address()));
        sb.append(String.format("  %-22s %s %s %s  (LAN side)%n", t.routerNamespace(), Topology.ROUTER_LAN_DEVICE,
                lan.router4(), lan.router6()));
        for (Topology.IspLink i : t.isps()) {
            sb.append(String.format("  %-22s %s %s %s, default via %s / %s metric %d%n", "", i.wanDevice(),
                    i.router4(), i.router6(), i.gateway4(), i.gateway6(), i.metric()));
        }
        sb.append(String.format("  %-22s masquerade on %s (table ip nat, ip6 nat); table inet fw4 is mwan4's%n", "",
                t.isps().stream().map(Topology.IspLink::wanDevice).collect(Collectors.joining(", "))));
        for (Topology.IspLink i : t.isps()) {
            sb.append(String.format("  %-22s %s %s/%d %s/%d -> router %s; %s %s %s -> internet%n", i.namespace(),
                    Topology.ISP_DOWN_DEVICE, i.gateway4(), i.router4().prefix(), i.gateway6(), i.router6().prefix(),
                    i.wanDevice(), Topology.ISP_UP_DEVICE, i.upstream4(), i.upstream6()));
        }
        sb.append(String.format("  %-22s %s; servers on %s / %s: TCP whoami :%d, UDP whoami :%d, HTTP :%d%n",
                inet.namespace(), t.isps().stream().map(i -> i.inetDevice() + " " + i.upstreamGw4())
                        .collect(Collectors.joining(", ")),
                inet.server4(), inet.server6(), LabServers.WHOAMI_PORT, LabServers.WHOAMI_PORT, LabServers.HTTP_PORT));
        sb.append(String.format("  %-22s track targets %s%n", "",
                inet.addresses().stream().filter(a -> !a.equals(inet.server(a.family())))
                        .map(Object::toString).collect(Collectors.joining(" "))));
        sb.append("\n  The internet sees each WAN's own address, so a whoami answer names the WAN a connection left by.\n");
        sb.append("  try: ip netns exec ").append(lan.namespace()).append(" ping -c 3 ")
          .append(inet.targets(Family.IPV4).getFirst()).append('\n');
        sb.append("       ip netns exec ").append(t.routerNamespace()).append(" nft list ruleset\n");
        return sb.toString();
    }

    private static String join(java.util.List<Cidr> cidrs) {
        if (cidrs.size() == 1) {
            return cidrs.getFirst().toString();
        }
        return cidrs.getFirst() + " (+" + (cidrs.size() - 1) + " more)";
    }
}
