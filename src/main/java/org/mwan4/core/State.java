package org.mwan4.core;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.IpAddress;

/**
 * Everything mwan4 knows, as one immutable value. The planner derives the desired kernel state from it.
 * All collections are sorted (TreeMap/TreeSet, unmodifiable views), never Map.of/Set.copyOf: iteration
 * order reaches rendered rulesets and replays must be byte-identical from run to run.
 *
 * @param config       null until the first {@link Event.ConfigLoaded}
 * @param links        ifindex -> link
 * @param addresses    ifindex -> its addresses (with prefix length, host part kept)
 * @param routes       every route in every table the kernel reported
 * @param trackers     one per enabled interface and family
 * @param operatorDown interfaces taken down with {@code mwan4 ifdown} (until {@code ifup})
 * @param now          timestamp of the last event reduced
 * @param useCgroups   the cgroups {@code mwan4 use} runs commands in ({@link UseCgroups#NONE} until the daemon says)
 */
public record State(
        Config config,
        SortedMap<Integer, Link> links,
        SortedMap<Integer, SortedSet<Cidr>> addresses,
        SortedSet<RouteFact> routes,
        SortedMap<TrackerKey, Tracker> trackers,
        SortedSet<String> operatorDown,
        Instant now,
        UseCgroups useCgroups) {

    /** A state without {@code mwan4 use} cgroups. */
    public State(Config config, SortedMap<Integer, Link> links, SortedMap<Integer, SortedSet<Cidr>> addresses,
                 SortedSet<RouteFact> routes, SortedMap<TrackerKey, Tracker> trackers, SortedSet<String> operatorDown,
                 Instant now) {
        this(config, links, addresses, routes, trackers, operatorDown, now, UseCgroups.NONE);
    }

    /** A network device as rtnetlink reports it. */
    public record Link(int ifindex, String name, boolean adminUp, boolean carrier, String operstate) {
        /** Usable for traffic: administratively up and carrier present. */
        public boolean up() {
            return adminUp && carrier;
        }
    }

    public record TrackerKey(String iface, Family family) implements Comparable<TrackerKey> {
        @Override
        public int compareTo(TrackerKey o) {
            int c = iface.compareTo(o.iface);
            return c != 0 ? c : family.compareTo(o.family);
        }
    }

    /**
     * The order of {@link #routes()}: table, family, destination, source, metric, device, then the rest.
     * A total order over every field, so two routes that differ in anything are both kept.
     */
    public static final Comparator<RouteFact> ROUTE_ORDER = Comparator
            .comparingInt(RouteFact::table)
            .thenComparing(RouteFact::family)
            .thenComparing(RouteFact::destination)
            .thenComparing(RouteFact::source, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(RouteFact::metric)
            .thenComparingInt(RouteFact::ifindex)
            .thenComparing(RouteFact::gateway, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(RouteFact::type, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(RouteFact::protocol)
            .thenComparingInt(RouteFact::scope)
            .thenComparing(RouteFact::prefsrc, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Nothing known yet: no config, no facts, no trackers, time at the epoch. */
    public static State initial() {
        return new State(null, Collections.unmodifiableSortedMap(new TreeMap<>()),
                Collections.unmodifiableSortedMap(new TreeMap<>()),
                Collections.unmodifiableSortedSet(new TreeSet<>(ROUTE_ORDER)),
                Collections.unmodifiableSortedMap(new TreeMap<>()),
                Collections.unmodifiableSortedSet(new TreeSet<>()), Instant.EPOCH);
    }

    public State withConfig(Config newConfig) {
        return new State(newConfig, links, addresses, routes, trackers, operatorDown, now, useCgroups);
    }

    public State withUseCgroups(UseCgroups newUseCgroups) {
        return new State(config, links, addresses, routes, trackers, operatorDown, now, newUseCgroups);
    }

    /** Replaces the kernel facts (each collection is copied into an unmodifiable sorted one). */
    public State withFacts(SortedMap<Integer, Link> newLinks, SortedMap<Integer, SortedSet<Cidr>> newAddresses,
                           SortedSet<RouteFact> newRoutes) {
        TreeMap<Integer, SortedSet<Cidr>> addrs = new TreeMap<>();
        newAddresses.forEach((k, v) -> addrs.put(k, Collections.unmodifiableSortedSet(new TreeSet<>(v))));
        TreeSet<RouteFact> r = new TreeSet<>(ROUTE_ORDER);
        r.addAll(newRoutes);
        return new State(config, Collections.unmodifiableSortedMap(new TreeMap<>(newLinks)),
                Collections.unmodifiableSortedMap(addrs), Collections.unmodifiableSortedSet(r), trackers, operatorDown, now,
                useCgroups);
    }

    public State withTrackers(SortedMap<TrackerKey, Tracker> newTrackers) {
        return new State(config, links, addresses, routes,
                Collections.unmodifiableSortedMap(new TreeMap<>(newTrackers)), operatorDown, now, useCgroups);
    }

    public State withOperatorDown(SortedSet<String> newOperatorDown) {
        return new State(config, links, addresses, routes, trackers,
                Collections.unmodifiableSortedSet(new TreeSet<>(newOperatorDown)), now, useCgroups);
    }

    public State at(Instant at) {
        return new State(config, links, addresses, routes, trackers, operatorDown, at, useCgroups);
    }

    public Optional<Config> configIfLoaded() {
        return Optional.ofNullable(config);
    }

    /**
     * The Linux device of a configured interface: its {@code option device}, else /etc/config/network's
     * device for it, else a link with the interface's own name.
     */
    public Optional<String> device(String iface) {
        if (config == null) {
            return Optional.empty();
        }
        Optional<Interface> i = config.iface(iface);
        if (i.isPresent() && i.get().device().isPresent()) {
            return i.get().device();
        }
        String fromNetwork = config.networkDevices().get(iface);
        if (fromNetwork != null) {
            return Optional.of(fromNetwork);
        }
        return linkNamed(iface).map(Link::name);
    }

    public Optional<Link> linkNamed(String name) {
        return links.values().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The link behind a configured interface, if its device exists. */
    public Optional<Link> linkOf(String iface) {
        return device(iface).flatMap(this::linkNamed);
    }

    /** Whether strategies may send traffic of this family through this interface (online or still disconnecting). */
    public boolean online(String iface, Family family) {
        Tracker t = trackers.get(new TrackerKey(iface, family));
        return t != null && (t.status() == TrackerStatus.ONLINE || t.status() == TrackerStatus.DISCONNECTING);
    }

    public Optional<Tracker> tracker(String iface, Family family) {
        return Optional.ofNullable(trackers.get(new TrackerKey(iface, family)));
    }

    /** Whether the interface's device exists and is up (admin up and carrier). */
    public boolean linkUp(String iface) {
        return linkOf(iface).map(Link::up).orElse(false);
    }

    /** The addresses on the interface's device (sorted; empty when it has no device). */
    public SortedSet<Cidr> addressesOf(String iface) {
        return linkOf(iface).map(l -> addresses.get(l.ifindex())).orElse(Collections.emptySortedSet());
    }

    /**
     * The address probes of this family leave from: the device's first address of that family that is not
     * link-local (a link-local source cannot reach internet targets), or empty to let the kernel choose.
     */
    public Optional<IpAddress> sourceAddress(String iface, Family family) {
        return addressesOf(iface).stream()
                .map(Cidr::address)
                .filter(a -> a.family() == family && !a.isLinkLocal())
                .findFirst();
    }

    /** The interface's gateway of a family: the gateway of its lowest-metric default route in the main table via its device. */
    public Optional<IpAddress> gateway(String iface, Family family) {
        Optional<Link> link = linkOf(iface);
        if (link.isEmpty()) {
            return Optional.empty();
        }
        int ifindex = link.get().ifindex();
        RouteFact best = null;
        // In ROUTE_ORDER the main table's default routes of a family are one run: no need to scan every route.
        boolean ordered = routes.comparator() == ROUTE_ORDER;
        for (RouteFact r : ordered ? routes.tailSet(firstDefault(family)) : routes) {
            boolean defaultOfFamily = r.table() == RouteFact.TABLE_MAIN && r.family() == family && r.isDefault();
            if (ordered && !defaultOfFamily) {
                break;
            }
            if (defaultOfFamily && r.ifindex() == ifindex && r.gateway() != null && (best == null || r.metric() < best.metric())) {
                best = r;
            }
        }
        return Optional.ofNullable(best).map(RouteFact::gateway);
    }

    /** The least route in ROUTE_ORDER among the main table's default routes of a family (a search bound). */
    private static RouteFact firstDefault(Family family) {
        IpAddress zero = new IpAddress(family, 0, 0);
        return new RouteFact(RouteFact.TABLE_MAIN, family, new Cidr(zero, 0), null, Integer.MIN_VALUE, Integer.MIN_VALUE,
                null, Integer.MIN_VALUE, Integer.MIN_VALUE, null, null);
    }
}
