package org.mwan4.kernel.netlink;

import java.time.Instant;
import java.util.Optional;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.RouteFact;

/**
 * Pure mapping of rtnetlink messages to core events, stamped with the instant the edge gives.
 * <pre>
 * RTM_NEWLINK  -> LinkChanged     RTM_DELLINK  -> LinkRemoved
 * RTM_NEWADDR  -> AddressAdded    RTM_DELADDR  -> AddressRemoved
 * RTM_NEWROUTE -> RouteAdded      RTM_DELROUTE -> RouteRemoved   (every table, IPv4 and IPv6)
 * </pre>
 * Everything else (rules, bridge-port link notices, cloned routes, other families) maps to nothing.
 */
public final class RtnlEvents {

    private RtnlEvents() {}

    public static Optional<Event> toEvent(NlMessage m, Instant at) {
        return switch (m.payload()) {
            case LinkMessage l -> link(m.type(), l, at);
            case AddressMessage a -> address(m.type(), a, at);
            case RouteMessage r -> route(m.type(), r, at);
            case RuleMessage _, NlPayload.Done _, NlPayload.Error _, NlPayload.Raw _, NlPayload.Malformed _ -> Optional.empty();
        };
    }

    /** A link as the state knows it (also used for the links of a resync). */
    public static Event.LinkChanged linkChanged(LinkMessage l, Instant at) {
        return new Event.LinkChanged(at, l.index(), l.name() == null ? "" : l.name(), l.adminUp(), l.hasCarrier(), l.operstateName());
    }

    /** The address with its prefix length, or empty when the message names none. */
    public static Optional<Cidr> cidr(AddressMessage a) {
        IpAddress own = a.own();
        if (own == null || PlanMessages.family(a.family()).isEmpty() || a.prefixlen() > own.bits()) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(own, a.prefixlen()));
    }

    /** The route as a fact; empty for other families and cloned (cache) routes. */
    public static Optional<RouteFact> routeFact(RouteMessage r) {
        Optional<Family> f = PlanMessages.family(r.family());
        if (f.isEmpty() || (r.flags() & RouteMessage.RTM_F_CLONED) != 0) {
            return Optional.empty();
        }
        return Optional.of(new RouteFact(r.table(), f.get(), PlanMessages.destination(f.get(), r), r.gateway(), r.oif(),
                r.priority(), r.typeName(), r.protocol(), r.scope(), PlanMessages.source(r), r.prefsrc()));
    }

    private static Optional<Event> link(int type, LinkMessage l, Instant at) {
        if (l.family() != 0) {
            // AF_BRIDGE notices describe bridge ports, not the link itself; a DELLINK there is not a removal
            return Optional.empty();
        }
        return switch (type) {
            case LinkMessage.RTM_NEWLINK -> Optional.of(linkChanged(l, at));
            case LinkMessage.RTM_DELLINK -> Optional.of(new Event.LinkRemoved(at, l.index(), l.name() == null ? "" : l.name()));
            default -> Optional.empty();
        };
    }

    private static Optional<Event> address(int type, AddressMessage a, Instant at) {
        return cidr(a).flatMap(c -> switch (type) {
            case AddressMessage.RTM_NEWADDR -> Optional.of(new Event.AddressAdded(at, a.index(), c));
            case AddressMessage.RTM_DELADDR -> Optional.of(new Event.AddressRemoved(at, a.index(), c));
            default -> Optional.empty();
        });
    }

    private static Optional<Event> route(int type, RouteMessage r, Instant at) {
        return routeFact(r).flatMap(f -> switch (type) {
            case RouteMessage.RTM_NEWROUTE -> Optional.of(new Event.RouteAdded(at, f));
            case RouteMessage.RTM_DELROUTE -> Optional.of(new Event.RouteRemoved(at, f));
            default -> Optional.empty();
        });
    }
}
