package org.mwan4.runtime;

import java.util.List;
import org.mwan4.kernel.NetworkDump;

/**
 * What {@code mwan4 internal ipv4|ipv6} shows, as the control API hands it out (the kernel port's
 * {@link NetworkDump}, in types the API may use): one family's links with their addresses, the routes of the main
 * table and of mwan4's tables, every ip rule, and our nft sets and chains. Each item carries the line {@code ip} or
 * {@code nft} would print for it.
 */
public record KernelDump(String family, List<Link> links, List<Table> tables, List<Rule> rules, List<NftObject> nft) {
    public KernelDump {
        links = List.copyOf(links);
        tables = List.copyOf(tables);
        rules = List.copyOf(rules);
        nft = List.copyOf(nft);
    }

    /** {@code text}: {@code 2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> state UP}. */
    public record Link(int index, String name, String text, List<Address> addresses) {
        public Link {
            addresses = List.copyOf(addresses);
        }
    }

    /** {@code address}: {@code 192.0.2.2/26}; {@code text}: {@code inet 192.0.2.2/26 scope global eth0}. */
    public record Address(String address, String scope, String text) {}

    /** {@code name}: {@code main} or the table number; {@code routes} as {@code ip route show table N} prints them. */
    public record Table(String name, int id, List<String> routes) {
        public Table {
            routes = List.copyOf(routes);
        }
    }

    /** {@code ours}: pref 1000..3999 (mwan4's); {@code text}: {@code 2001:\tfrom all fwmark 0x100/0x3f00 lookup 1}. */
    public record Rule(int priority, boolean ours, String text) {}

    /** {@code kind}: set, map or chain; {@code text}: the block {@code nft list table inet fw4} prints for it. */
    public record NftObject(String kind, String name, String text) {}

    static KernelDump of(NetworkDump d) {
        return new KernelDump(d.family().id(),
                d.links().stream().map(l -> new Link(l.index(), l.name(), l.text(), l.addresses().stream()
                        .map(a -> new Address(a.address(), a.scope(), a.text())).toList())).toList(),
                d.tables().stream().map(t -> new Table(t.name(), t.id(), t.routes())).toList(),
                d.rules().stream().map(r -> new Rule(r.priority(), r.ours(), r.text())).toList(),
                d.nft().stream().map(o -> new NftObject(o.kind(), o.name(), o.text())).toList());
    }
}
