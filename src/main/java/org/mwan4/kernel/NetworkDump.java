package org.mwan4.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Family;
import org.mwan4.kernel.netlink.AddressMessage;
import org.mwan4.kernel.netlink.IpText;
import org.mwan4.kernel.netlink.LinkMessage;
import org.mwan4.kernel.netlink.RouteMessage;
import org.mwan4.kernel.netlink.RtnetlinkClient;
import org.mwan4.kernel.netlink.RuleMessage;
import org.mwan4.kernel.nft.NftBackend;
import org.mwan4.kernel.nft.NftBlocks;
import org.mwan4.kernel.nft.NftReader;
import org.mwan4.plan.KernelDump;
import org.mwan4.plan.KernelDump.Address;
import org.mwan4.plan.KernelDump.Link;
import org.mwan4.plan.KernelDump.NftObject;
import org.mwan4.plan.KernelDump.Rule;
import org.mwan4.plan.KernelDump.Table;

/** Reads what {@code mwan4 internal ipv4|ipv6} shows ({@link KernelDump}; mwan3's {@code mwan3 internal}). */
public final class NetworkDump {
    private NetworkDump() {}

    private static final int MAIN = 254; // RT_TABLE_MAIN, linux/rtnetlink.h

    /**
     * Reads it all from the kernel: equals {@code ip -4 addr show; ip -4 route show table main; ip -4 route show
     * table N} (for each of {@code ourTables} and every table one of our rules looks up){@code ; ip -4 rule show;
     * nft list table inet fw4} (filtered to {@code mwan4_*} objects of the family).
     */
    static KernelDump read(RtnetlinkClient rtnl, NftBackend nft, Family f, Iterable<Integer> ourTables) {
        SortedMap<Integer, String> names = new TreeMap<>();
        SortedMap<Integer, LinkMessage> linkByIndex = new TreeMap<>();
        for (LinkMessage l : rtnl.links()) {
            linkByIndex.put(l.index(), l);
            if (l.name() != null) {
                names.put(l.index(), l.name());
            }
        }
        SortedMap<Integer, List<Address>> addrs = new TreeMap<>();
        for (AddressMessage a : rtnl.addresses(f)) {
            String dev = names.getOrDefault(a.index(), "#" + a.index());
            String prefix = (a.own() == null ? "?" : a.own().toString()) + "/" + a.prefixlen();
            addrs.computeIfAbsent(a.index(), k -> new ArrayList<>()).add(new Address(prefix, scopeName(a), IpText.address(a, dev)));
        }
        List<Link> links = new ArrayList<>();
        addrs.forEach((index, list) -> {
            LinkMessage l = linkByIndex.get(index);
            links.add(new Link(index, names.getOrDefault(index, "#" + index),
                    l == null ? index + ": #" + index : IpText.link(l), list));
        });
        List<Rule> rules = new ArrayList<>();
        SortedSet<Integer> tables = new TreeSet<>();
        ourTables.forEach(tables::add);
        for (RuleMessage r : rtnl.ruleMessages(f)) {
            boolean ours = r.priority() >= RtnetlinkClient.OUR_MIN_PREF && r.priority() <= RtnetlinkClient.OUR_MAX_PREF;
            rules.add(new Rule(r.priority(), ours, IpText.rule(r)));
            if (ours && r.action() == RuleMessage.FR_ACT_TO_TBL && r.table() < RouteMessage.RT_TABLE_COMPAT) {
                tables.add(r.table());
            }
        }
        tables.remove(MAIN);
        List<Table> out = new ArrayList<>();
        out.add(table(rtnl, f, MAIN, names));
        for (int t : tables) {
            out.add(table(rtnl, f, t, names));
        }
        return new KernelDump(f.id(), links, out, rules, nftObjects(nft, f));
    }

    private static Table table(RtnetlinkClient rtnl, Family f, int id, SortedMap<Integer, String> names) {
        List<String> routes = rtnl.routeMessages(f, id).stream().map(r -> IpText.route(withoutTable(r), names::get)).toList();
        return new Table(IpText.table(id), id, routes);
    }

    /** As {@code ip route show table N} prints: the table it was asked for is not repeated on each line. */
    private static RouteMessage withoutTable(RouteMessage r) {
        return new RouteMessage(r.family(), r.dstLen(), r.srcLen(), r.tos(), MAIN, r.protocol(), r.scope(), r.type(),
                r.flags(), r.dst(), r.src(), r.gateway(), r.oif(), r.priority(), r.prefsrc());
    }

    private static String scopeName(AddressMessage a) {
        String text = IpText.address(a, "");
        int at = text.indexOf(" scope ");
        return at < 0 ? "" : text.substring(at + 7).split(" ")[0];
    }

    private static List<NftObject> nftObjects(NftBackend nft, Family f) {
        String other = f == Family.IPV4 ? Family.IPV6.id() : Family.IPV4.id();
        return NftBlocks.read(nft, name -> name.startsWith(NftReader.PREFIX) && !name.endsWith("_" + other)
                        && !name.contains("_" + other + "_"))
                .stream().map(b -> new NftObject(b.kind(), b.name(), b.text())).toList();
    }
}
