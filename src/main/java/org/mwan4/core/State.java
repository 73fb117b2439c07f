package org.mwan4.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;

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
 */
public record State(
        Config config,
        SortedMap<Integer, Link> links,
        SortedMap<Integer, SortedSet<Cidr>> addresses,
        SortedSet<RouteFact> routes,
        SortedMap<TrackerKey, Tracker> trackers,
        SortedSet<String> operatorDown,
        Instant now) {

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
}
