package org.mwan4.core;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.core.Event.AddressAdded;
import org.mwan4.core.Event.AddressRemoved;
import org.mwan4.core.Event.LinkChanged;
import org.mwan4.core.Event.LinkRemoved;
import org.mwan4.core.Event.NetlinkResynced;

/**
 * Kernel facts (links, addresses, routes) folded into the state, one netlink notification at a time.
 * Only the collection that changed is copied; the others are shared with the previous state.
 */
final class Facts {
    private Facts() {}

    static State link(State s, LinkChanged e) {
        TreeMap<Integer, State.Link> links = new TreeMap<>(s.links());
        State.Link old = links.put(e.ifindex(), new State.Link(e.ifindex(), e.name(), e.adminUp(), e.carrier(), e.operstate()));
        SortedSet<RouteFact> routes = s.routes();
        if (!e.adminUp() && (old == null || old.adminUp())) {
            // Setting a link down deletes every route through it without RTM_DELROUTE for IPv4
            // (fib_disable_ip -> fib_sync_down_dev, net/ipv4/fib_frontend.c): forget them as the kernel does.
            routes = withoutDevice(routes, e.ifindex());
        }
        return new State(s.config(), unmodifiable(links), s.addresses(), routes, s.trackers(), s.operatorDown(), s.now(), s.useCgroups());
    }

    /** RTM_DELLINK: the device's addresses and routes are gone with it (the kernel does not announce each). */
    static State linkRemoved(State s, LinkRemoved e) {
        if (!s.links().containsKey(e.ifindex()) && !s.addresses().containsKey(e.ifindex())) {
            return s;
        }
        TreeMap<Integer, State.Link> links = new TreeMap<>(s.links());
        links.remove(e.ifindex());
        TreeMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>(s.addresses());
        addrs.remove(e.ifindex());
        return new State(s.config(), unmodifiable(links), unmodifiable(addrs), withoutDevice(s.routes(), e.ifindex()),
                s.trackers(), s.operatorDown(), s.now(), s.useCgroups());
    }

    static State addressAdded(State s, AddressAdded e) {
        SortedSet<Cidr> current = s.addresses().getOrDefault(e.ifindex(), Collections.emptySortedSet());
        if (current.contains(e.address())) {
            return s;
        }
        TreeSet<Cidr> set = new TreeSet<>(current);
        set.add(e.address());
        TreeMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>(s.addresses());
        addrs.put(e.ifindex(), Collections.unmodifiableSortedSet(set));
        return new State(s.config(), s.links(), unmodifiable(addrs), s.routes(), s.trackers(), s.operatorDown(), s.now(), s.useCgroups());
    }

    static State addressRemoved(State s, AddressRemoved e) {
        SortedSet<Cidr> current = s.addresses().get(e.ifindex());
        if (current == null || !current.contains(e.address())) {
            return s;
        }
        TreeSet<Cidr> set = new TreeSet<>(current);
        set.remove(e.address());
        TreeMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>(s.addresses());
        if (set.isEmpty()) {
            addrs.remove(e.ifindex());
        } else {
            addrs.put(e.ifindex(), Collections.unmodifiableSortedSet(set));
        }
        return new State(s.config(), s.links(), unmodifiable(addrs), s.routes(), s.trackers(), s.operatorDown(), s.now(), s.useCgroups());
    }

    /**
     * RTM_NEWROUTE. A route with the same identity (table, family, destination, source, metric, device) is
     * replaced: that is what {@code ip route replace} does, and the kernel announces only the new one.
     */
    static State routeAdded(State s, RouteFact r) {
        if (s.routes().contains(r)) {
            return s;
        }
        TreeSet<RouteFact> routes = new TreeSet<>(State.ROUTE_ORDER);
        for (RouteFact x : s.routes()) {
            if (!sameIdentity(x, r)) {
                routes.add(x);
            }
        }
        routes.add(r);
        return withRoutes(s, routes);
    }

    /** RTM_DELROUTE: removes the route, or the one with its identity when some attribute was reported differently. */
    static State routeRemoved(State s, RouteFact r) {
        TreeSet<RouteFact> routes = new TreeSet<>(State.ROUTE_ORDER);
        boolean exact = s.routes().contains(r);
        for (RouteFact x : s.routes()) {
            if (exact ? !x.equals(r) : !sameIdentity(x, r)) {
                routes.add(x);
            }
        }
        return routes.size() == s.routes().size() ? s : withRoutes(s, routes);
    }

    /** A full dump replaces everything known (start, or after a netlink overrun). */
    static State resynced(State s, NetlinkResynced e) {
        TreeMap<Integer, State.Link> links = new TreeMap<>();
        for (LinkChanged l : e.links()) {
            links.put(l.ifindex(), new State.Link(l.ifindex(), l.name(), l.adminUp(), l.carrier(), l.operstate()));
        }
        TreeMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>();
        for (AddressAdded a : e.addresses()) {
            addrs.computeIfAbsent(a.ifindex(), k -> new TreeSet<>()).add(a.address());
        }
        TreeSet<RouteFact> routes = new TreeSet<>(State.ROUTE_ORDER);
        routes.addAll(e.routes());
        return s.withFacts(links, addrs, routes);
    }

    /** Only default routes in the main table feed derived interface facts (gateways); others just get stored. */
    static boolean affectsInterfaces(RouteFact r) {
        return r.table() == RouteFact.TABLE_MAIN && r.isDefault();
    }

    private static boolean sameIdentity(RouteFact a, RouteFact b) {
        return a.table() == b.table() && a.family() == b.family() && a.destination().equals(b.destination())
                && Objects.equals(a.source(), b.source()) && a.metric() == b.metric() && a.ifindex() == b.ifindex();
    }

    private static SortedSet<RouteFact> withoutDevice(SortedSet<RouteFact> routes, int ifindex) {
        if (routes.stream().noneMatch(r -> r.ifindex() == ifindex)) {
            return routes;
        }
        TreeSet<RouteFact> out = new TreeSet<>(State.ROUTE_ORDER);
        routes.stream().filter(r -> r.ifindex() != ifindex).forEach(out::add);
        return Collections.unmodifiableSortedSet(out);
    }

    private static State withRoutes(State s, TreeSet<RouteFact> routes) {
        return new State(s.config(), s.links(), s.addresses(), Collections.unmodifiableSortedSet(routes), s.trackers(),
                s.operatorDown(), s.now(), s.useCgroups());
    }

    private static <K, V> SortedMap<K, V> unmodifiable(TreeMap<K, V> m) {
        return Collections.unmodifiableSortedMap(m);
    }
}
