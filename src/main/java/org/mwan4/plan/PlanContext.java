package org.mwan4.plan;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.core.State;

/**
 * What every part of the planner asks of the state, looked up once per plan.
 *
 * @param usable   interfaces that take part: enabled in config, not taken down with {@code mwan4 ifdown},
 *                 with an id that fits the mask; in config order
 * @param families the families some enabled interface has: strategies, user rules and ip rules exist only for
 *                 these (an IPv4-only setup must not send IPv6 to an empty strategy's unreachable mark)
 * @param linkNames ifindex -> device name
 */
record PlanContext(State state, Config config, MarkText marks, List<Interface> usable, Set<Family> families,
                   TreeMap<Integer, String> linkNames) {

    static PlanContext of(State state) {
        Config config = state.config();
        MarkText marks = new MarkText(config.marks());
        List<Interface> usable = new ArrayList<>();
        EnumSet<Family> families = EnumSet.noneOf(Family.class);
        for (Interface i : config.interfaces()) {
            if (!i.enabled()) {
                continue;
            }
            families.addAll(i.families());
            if (!state.operatorDown().contains(i.name()) && i.id() >= 1 && i.id() <= config.marks().maxInterfaces()) {
                usable.add(i);
            }
        }
        TreeMap<Integer, String> names = new TreeMap<>();
        state.links().forEach((idx, link) -> names.put(idx, link.name()));
        return new PlanContext(state, config, marks, List.copyOf(usable), families, names);
    }

    Optional<Interface> usable(String iface) {
        for (Interface i : usable) {
            if (i.name().equals(iface)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The device name of an interface when it is known and safe to put into nft text. */
    Optional<String> device(String iface) {
        return state.device(iface).flatMap(NftText::device);
    }

    /** The device when a link of that name exists right now. */
    Optional<String> existingDevice(String iface) {
        return device(iface).filter(d -> state.linkNamed(d).isPresent());
    }

    int mark(Interface i) {
        return config.marks().interfaceMark(i.id());
    }
}
