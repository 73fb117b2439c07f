package org.mwan4.plan;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.Route;
import org.mwan4.core.State;

/**
 * What every part of the planner asks of the state, looked up once. Everything but {@link #state} (whose
 * trackers the strategy chains read) follows from config and kernel facts, so {@link #withTrackers} reuses it.
 *
 * @param usable    interfaces that take part: enabled in config, not taken down with {@code mwan4 ifdown},
 *                  with an id that fits the mask; in config order
 * @param byName    the usable interfaces by name
 * @param families  the families some enabled interface has: strategies, user rules and ip rules exist only for
 *                  these (an IPv4-only setup must not send IPv6 to an empty strategy's unreachable mark)
 * @param devices   every configured interface's device, when it is known and safe to put into nft text
 * @param existing  interfaces whose device is a link that exists right now
 * @param routes    config routes by name
 * @param linkNames ifindex -> device name
 */
record PlanContext(State state, Config config, MarkText marks, List<Interface> usable, SortedMap<String, Interface> byName,
                   Set<Family> families, SortedMap<String, String> devices, SortedSet<String> existing,
                   SortedMap<String, Route> routes, SortedMap<Integer, String> linkNames) {

    static PlanContext of(State state) {
        Config config = state.config();
        List<Interface> usable = new ArrayList<>();
        TreeMap<String, Interface> byName = new TreeMap<>();
        EnumSet<Family> families = EnumSet.noneOf(Family.class);
        TreeMap<String, String> devices = new TreeMap<>();
        TreeSet<String> existing = new TreeSet<>();
        for (Interface i : config.interfaces()) {
            Optional<String> dev = state.device(i.name()).flatMap(NftText::device);
            if (dev.isPresent()) {
                devices.put(i.name(), dev.get());
                if (state.linkNamed(dev.get()).isPresent()) {
                    existing.add(i.name());
                }
            }
            if (!i.enabled()) {
                continue;
            }
            families.addAll(i.families());
            if (!state.operatorDown().contains(i.name()) && i.id() >= 1 && i.id() <= config.marks().maxInterfaces()) {
                usable.add(i);
                byName.put(i.name(), i);
            }
        }
        TreeMap<String, Route> routes = new TreeMap<>();
        for (Route r : config.routes()) {
            routes.putIfAbsent(r.name(), r);
        }
        TreeMap<Integer, String> names = new TreeMap<>();
        state.links().forEach((idx, link) -> names.put(idx, link.name()));
        return new PlanContext(state, config, new MarkText(config.marks()), List.copyOf(usable), byName, families, devices,
                existing, routes, names);
    }

    /** The same context for a state that differs from this one's in tracker statuses only. */
    PlanContext withTrackers(State s) {
        return new PlanContext(s, config, marks, usable, byName, families, devices, existing, routes, linkNames);
    }

    Optional<Interface> usable(String iface) {
        return Optional.ofNullable(byName.get(iface));
    }

    /** The device name of an interface when it is known and safe to put into nft text. */
    Optional<String> device(String iface) {
        return Optional.ofNullable(devices.get(iface));
    }

    /** The device when a link of that name exists right now. */
    Optional<String> existingDevice(String iface) {
        return existing.contains(iface) ? device(iface) : Optional.empty();
    }

    Optional<Route> route(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    int mark(Interface i) {
        return config.marks().interfaceMark(i.id());
    }
}
