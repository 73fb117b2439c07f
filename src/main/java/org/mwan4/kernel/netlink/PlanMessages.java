package org.mwan4.kernel.netlink;

import java.util.Optional;
import java.util.function.IntFunction;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.Op;

/**
 * Pure translation between the plan's {@link IpRule}/{@link IpRoute} and rtnetlink bodies, both ways,
 * and the {@code ip} command each op equals (for error messages and logs).
 *
 * <p>Reading back gives what the planner writes when the kernel keeps values as given. The kernel
 * rewrites a few IPv6 values on its own; {@link #asKernelKeeps} applies the same rewrites to a planned
 * route, so {@code asKernelKeeps(planned)} equals what {@link #ipRoute} reads back.
 */
public final class PlanMessages {
    public static final int AF_INET = 2; // bits/socket.h
    public static final int AF_INET6 = 10; // bits/socket.h
    /** IP6_RT_PRIO_USER, net/ip6_route.h: the metric an IPv6 route gets when none is given. */
    public static final int IPV6_DEFAULT_METRIC = 1024;

    private PlanMessages() {}

    public static int af(Family f) {
        return switch (f) {
            case IPV4 -> AF_INET;
            case IPV6 -> AF_INET6;
        };
    }

    /** The family of an AF_* number, empty for others (bridge, MPLS, multicast routing...). */
    public static Optional<Family> family(int af) {
        return switch (af) {
            case AF_INET -> Optional.of(Family.IPV4);
            case AF_INET6 -> Optional.of(Family.IPV6);
            default -> Optional.empty();
        };
    }

    /** The all-zero address of a family (the destination of a default route). */
    public static IpAddress any(Family f) {
        return new IpAddress(f, 0, 0);
    }

    /** The body of {@code ip rule add/del} for {@code r}. */
    public static RuleMessage rule(IpRule r) {
        int action = switch (r.action()) {
            case LOOKUP -> RuleMessage.FR_ACT_TO_TBL;
            case UNREACHABLE -> RuleMessage.FR_ACT_UNREACHABLE;
            case BLACKHOLE -> RuleMessage.FR_ACT_BLACKHOLE;
        };
        int table = r.action() == IpRule.Action.LOOKUP ? r.table() : 0;
        return new RuleMessage(af(r.family()), 0, 0, 0, table, action, 0, r.priority(), r.fwmark(), r.fwmask(),
                r.iif().isEmpty() ? null : r.iif(), null, null, null, 0);
    }

    /**
     * The plan value of a kernel rule; empty for rules an {@link IpRule} cannot express (other families,
     * actions goto/nop/prohibit, from/to/tos/oif selectors).
     */
    public static Optional<IpRule> ipRule(RuleMessage m) {
        Optional<Family> f = family(m.family());
        if (f.isEmpty() || m.dstLen() != 0 || m.srcLen() != 0 || m.tos() != 0 || m.oifname() != null) {
            return Optional.empty();
        }
        IpRule.Action action;
        switch (m.action()) {
            case RuleMessage.FR_ACT_TO_TBL -> action = IpRule.Action.LOOKUP;
            case RuleMessage.FR_ACT_UNREACHABLE -> action = IpRule.Action.UNREACHABLE;
            case RuleMessage.FR_ACT_BLACKHOLE -> action = IpRule.Action.BLACKHOLE;
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(new IpRule(f.get(), m.priority(), m.iifname() == null ? "" : m.iifname(),
                m.fwmark(), m.fwmask(), action, action == IpRule.Action.LOOKUP ? m.table() : 0));
    }

    /**
     * The body of {@code ip route add/del} for {@code r}, its device already resolved to {@code oif}
     * (0 for none).
     *
     * @throws IllegalArgumentException for a type name iproute2 does not know
     */
    public static RouteMessage route(IpRoute r, int oif) {
        int type = RouteMessage.typeCode(r.type())
                .orElseThrow(() -> new IllegalArgumentException("unknown route type '" + r.type() + "' in " + r));
        Cidr dst = r.destination();
        return new RouteMessage(af(dst.family()), dst.prefix(), r.source() == null ? 0 : r.source().prefix(), 0,
                r.table(), r.protocol(), r.scope(), type, 0,
                dst.isDefault() ? null : dst.address(), r.source() == null ? null : r.source().address(),
                r.gateway(), oif, r.metric(), r.prefsrc());
    }

    /**
     * The plan value of a kernel route, its device named through {@code deviceName} (null when the index
     * is unknown: the route then reads back with device {@code "#<ifindex>"}, which no plan has, so a
     * diff replaces it). Empty for other families and cloned (cache) routes.
     *
     * <p>IPv6 reject routes (unreachable, blackhole, prohibit, throw) point at the loopback device in the
     * kernel; that device is dropped here because {@code ip route add unreachable ...} never names one.
     */
    public static Optional<IpRoute> ipRoute(RouteMessage m, IntFunction<String> deviceName) {
        Optional<Family> f = family(m.family());
        if (f.isEmpty() || (m.flags() & RouteMessage.RTM_F_CLONED) != 0) {
            return Optional.empty();
        }
        String device = "";
        if (m.oif() != 0 && !(f.get() == Family.IPV6 && isReject(m.type()))) {
            String n = deviceName.apply(m.oif());
            device = n != null ? n : "#" + m.oif();
        }
        return Optional.of(new IpRoute(m.table(), destination(f.get(), m), m.typeName(), m.gateway(), device,
                m.priority(), source(m), m.prefsrc(), m.protocol(), m.scope()));
    }

    /**
     * What the kernel will report for a planned route: IPv6 routes get metric 1024 when none is given,
     * protocol {@code boot} (3) when none is given, and always scope universe (0).
     */
    public static IpRoute asKernelKeeps(IpRoute r) {
        if (r.destination().family() != Family.IPV6) {
            return r;
        }
        return new IpRoute(r.table(), r.destination(), r.type(), r.gateway(), r.device(),
                r.metric() == 0 ? IPV6_DEFAULT_METRIC : r.metric(), r.source(), r.prefsrc(),
                r.protocol() == 0 ? RouteMessage.RTPROT_BOOT : r.protocol(), RouteMessage.RT_SCOPE_UNIVERSE);
    }

    /** The destination as a prefix; a default route (no RTA_DST) is {@code 0.0.0.0/0} or {@code ::/0}. */
    public static Cidr destination(Family f, RouteMessage m) {
        IpAddress a = m.dst() != null && m.dst().family() == f ? m.dst() : any(f);
        return new Cidr(a, Math.min(m.dstLen(), a.bits()));
    }

    /** RTA_SRC as a prefix ({@code from X}), or null. */
    public static Cidr source(RouteMessage m) {
        if (m.src() == null) {
            return null;
        }
        return new Cidr(m.src(), Math.min(m.srcLen(), m.src().bits()));
    }

    /** The {@code ip} command an op equals, e.g. {@code ip rule add pref 2001 fwmark 0x100/0x3f00 lookup 1}. */
    public static String ipCommand(Op op) {
        return switch (op) {
            case Op.AddIpRule a -> ip(a.rule().family()) + " rule add " + a.rule();
            case Op.DeleteIpRule d -> ip(d.rule().family()) + " rule del " + d.rule();
            case Op.AddRoute a -> ip(a.route().destination().family()) + " route add " + a.route();
            case Op.DeleteRoute d -> ip(d.route().destination().family()) + " route del " + d.route();
            case Op.AddSet _, Op.DeleteSet _, Op.AddElements _, Op.DeleteElements _,
                 Op.AddChain _, Op.ReplaceChain _, Op.DeleteChain _ -> op + " (an nft op, not an ip command)";
        };
    }

    private static String ip(Family f) {
        return f == Family.IPV6 ? "ip -6" : "ip";
    }

    private static boolean isReject(int type) {
        String n = RouteMessage.typeName(type);
        return n.equals("unreachable") || n.equals("blackhole") || n.equals("prohibit") || n.equals("throw");
    }
}
