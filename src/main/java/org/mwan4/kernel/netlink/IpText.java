package org.mwan4.kernel.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * Kernel rtnetlink objects as iproute2 prints them ({@code ip addr}, {@code ip route}, {@code ip rule}), for
 * humans reading {@code mwan4 internal}: the same words in the same order, without the details mwan4 does not
 * decode (mtu, qdisc, lifetimes, cache info). Pure.
 */
public final class IpText {
    private static final int IFF_BROADCAST = 1 << 1; // linux/if.h
    private static final int IFF_POINTOPOINT = 1 << 4; // linux/if.h
    private static final int IFF_NOARP = 1 << 7; // linux/if.h
    private static final int IFF_MULTICAST = 1 << 12; // linux/if.h
    private static final int IFA_F_SECONDARY = 0x01; // linux/if_addr.h
    private static final int IFA_F_NODAD = 0x02; // linux/if_addr.h
    private static final int IFA_F_DADFAILED = 0x08; // linux/if_addr.h
    private static final int IFA_F_DEPRECATED = 0x20; // linux/if_addr.h
    private static final int IFA_F_TENTATIVE = 0x40; // linux/if_addr.h
    private static final int RT_TABLE_MAIN = 254; // linux/rtnetlink.h

    private IpText() {}

    /** {@code 2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> state UP} (flags in iproute2's order). */
    public static String link(LinkMessage l) {
        List<String> flags = new ArrayList<>();
        int f = l.flags();
        addIf(flags, f, LinkMessage.IFF_LOOPBACK, "LOOPBACK");
        addIf(flags, f, IFF_BROADCAST, "BROADCAST");
        addIf(flags, f, IFF_POINTOPOINT, "POINTOPOINT");
        addIf(flags, f, IFF_MULTICAST, "MULTICAST");
        addIf(flags, f, IFF_NOARP, "NOARP");
        addIf(flags, f, LinkMessage.IFF_UP, "UP");
        addIf(flags, f, LinkMessage.IFF_LOWER_UP, "LOWER_UP");
        return l.index() + ": " + (l.name() == null ? "#" + l.index() : l.name()) + ": <" + String.join(",", flags)
                + "> state " + l.operstateName();
    }

    /** {@code inet 192.0.2.2/26 scope global eth0}, {@code inet6 2001:db8::2/64 scope global nodad}. */
    public static String address(AddressMessage a, String device) {
        StringBuilder sb = new StringBuilder(a.family() == PlanMessages.AF_INET6 ? "inet6 " : "inet ");
        IpAddress own = a.own();
        sb.append(own == null ? "?" : own.toString());
        if (a.local() != null && a.address() != null && !a.local().equals(a.address())) {
            sb.append(" peer ").append(a.address());
        }
        sb.append('/').append(a.prefixlen()).append(" scope ").append(scope(a.scope()));
        addIf(sb, a.flags(), IFA_F_SECONDARY, "secondary");
        addIf(sb, a.flags(), IFA_F_TENTATIVE, "tentative");
        addIf(sb, a.flags(), IFA_F_DEPRECATED, "deprecated");
        addIf(sb, a.flags(), IFA_F_NODAD, "nodad");
        addIf(sb, a.flags(), IFA_F_DADFAILED, "dadfailed");
        if (a.family() == PlanMessages.AF_INET) {
            sb.append(' ').append(a.label() != null ? a.label() : device);
        }
        return sb.toString();
    }

    /**
     * {@code default via 192.0.2.1 dev eth0 proto static metric 10}, {@code 192.0.2.0/26 dev eth0 proto kernel scope
     * link src 192.0.2.2}; the table only outside main (as {@code ip route show table all} does).
     */
    public static String route(RouteMessage r, IntFunction<String> deviceName) {
        Family f = r.family() == PlanMessages.AF_INET6 ? Family.IPV6 : Family.IPV4;
        StringBuilder sb = new StringBuilder();
        if (r.type() != RouteMessage.RTN_UNICAST) {
            sb.append(RouteMessage.typeName(r.type())).append(' ');
        }
        sb.append(r.dst() == null && r.dstLen() == 0 ? "default" : PlanMessages.destination(f, r).toString());
        if (r.src() != null) {
            sb.append(" from ").append(PlanMessages.source(r));
        }
        if (r.gateway() != null) {
            sb.append(" via ").append(r.gateway());
        }
        if (r.oif() != 0) {
            String n = deviceName.apply(r.oif());
            sb.append(" dev ").append(n != null ? n : "#" + r.oif());
        }
        if (r.table() != RT_TABLE_MAIN) {
            sb.append(" table ").append(table(r.table()));
        }
        if (r.protocol() != RouteMessage.RTPROT_BOOT) {
            sb.append(" proto ").append(protocol(r.protocol()));
        }
        if (r.scope() != RouteMessage.RT_SCOPE_UNIVERSE) {
            sb.append(" scope ").append(scope(r.scope()));
        }
        if (r.prefsrc() != null) {
            sb.append(" src ").append(r.prefsrc());
        }
        if (r.priority() != 0) {
            sb.append(" metric ").append(r.priority());
        }
        return sb.toString();
    }

    /** {@code 2001:\tfrom all fwmark 0x100/0x3f00 lookup 1}, {@code 32766:\tfrom all lookup main}. */
    public static String rule(RuleMessage r) {
        StringBuilder sb = new StringBuilder().append(r.priority()).append(":\tfrom ");
        sb.append(r.src() == null ? "all" : r.src() + (isHost(r.family(), r.srcLen()) ? "" : "/" + r.srcLen()));
        if (r.dst() != null) {
            sb.append(" to ").append(r.dst()).append(isHost(r.family(), r.dstLen()) ? "" : "/" + r.dstLen());
        }
        if (r.fwmark() != 0 || r.fwmask() != 0) {
            sb.append(" fwmark 0x").append(Integer.toHexString(r.fwmark()));
            if (r.fwmask() != -1) {
                sb.append("/0x").append(Integer.toHexString(r.fwmask()));
            }
        }
        if (r.iifname() != null) {
            sb.append(" iif ").append(r.iifname());
        }
        if (r.oifname() != null) {
            sb.append(" oif ").append(r.oifname());
        }
        sb.append(switch (r.action()) {
            case RuleMessage.FR_ACT_TO_TBL -> " lookup " + table(r.table());
            case RuleMessage.FR_ACT_UNREACHABLE -> " unreachable";
            case RuleMessage.FR_ACT_BLACKHOLE -> " blackhole";
            case RuleMessage.FR_ACT_PROHIBIT -> " prohibit";
            case RuleMessage.FR_ACT_NOP -> " nop";
            case RuleMessage.FR_ACT_GOTO -> " goto";
            default -> " action " + r.action();
        });
        return sb.toString();
    }

    /** {@code main}, {@code local}, {@code default} or the number (iproute2's rt_tables). */
    public static String table(int t) {
        return switch (t) {
            case 253 -> "default";
            case 254 -> "main";
            case 255 -> "local";
            default -> Integer.toString(t);
        };
    }

    /** RT_SCOPE_* (linux/rtnetlink.h) as iproute2 names them. */
    static String scope(int s) {
        return switch (s) {
            case 0 -> "global";
            case 200 -> "site";
            case 253 -> "link";
            case 254 -> "host";
            case 255 -> "nowhere";
            default -> Integer.toString(s);
        };
    }

    /** RTPROT_* (linux/rtnetlink.h) as iproute2's rt_protos names them. */
    static String protocol(int p) {
        return switch (p) {
            case 0 -> "unspec";
            case 1 -> "redirect";
            case 2 -> "kernel";
            case 3 -> "boot";
            case 4 -> "static";
            case 9 -> "ra";
            case 11 -> "zebra";
            case 12 -> "bird";
            case 16 -> "dhcp";
            case 42 -> "babel";
            case 186 -> "bgp";
            case 188 -> "ospf";
            default -> Integer.toString(p);
        };
    }

    private static boolean isHost(int family, int len) {
        return len == (family == PlanMessages.AF_INET6 ? 128 : 32);
    }

    private static void addIf(List<String> out, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            out.add(name);
        }
    }

    private static void addIf(StringBuilder sb, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            sb.append(' ').append(name);
        }
    }
}
