package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.mwan4.config.IpAddress;

/**
 * RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE body: {@code struct rtmsg} plus attributes.
 * The table is one number: encoded as RTA_TABLE (always, when non-zero) and in {@code rtm_table} only
 * when it fits 8 bits (else RT_TABLE_COMPAT, as the kernel does); decoded from RTA_TABLE when present.
 *
 * @param dst      RTA_DST, or null (the default route)
 * @param src      RTA_SRC ({@code from}), or null
 * @param gateway  RTA_GATEWAY, or null
 * @param oif      RTA_OIF, or 0
 * @param priority RTA_PRIORITY (the metric), or 0
 * @param prefsrc  RTA_PREFSRC ({@code src}), or null
 */
public record RouteMessage(int family, int dstLen, int srcLen, int tos, int table, int protocol, int scope, int type,
                           int flags, IpAddress dst, IpAddress src, IpAddress gateway, int oif, int priority,
                           IpAddress prefsrc) implements NlPayload {

    public static final int RTM_NEWROUTE = 24; // linux/rtnetlink.h
    public static final int RTM_DELROUTE = 25; // linux/rtnetlink.h
    public static final int RTM_GETROUTE = 26; // linux/rtnetlink.h

    /** sizeof(struct rtmsg), linux/rtnetlink.h. */
    static final int SIZE = 12;

    public static final int RTA_DST = 1; // linux/rtnetlink.h
    public static final int RTA_SRC = 2; // linux/rtnetlink.h
    public static final int RTA_OIF = 4; // linux/rtnetlink.h
    public static final int RTA_GATEWAY = 5; // linux/rtnetlink.h
    public static final int RTA_PRIORITY = 6; // linux/rtnetlink.h
    public static final int RTA_PREFSRC = 7; // linux/rtnetlink.h
    public static final int RTA_TABLE = 15; // linux/rtnetlink.h

    public static final int RT_TABLE_COMPAT = 252; // linux/rtnetlink.h
    public static final int RT_SCOPE_UNIVERSE = 0; // linux/rtnetlink.h
    public static final int RT_SCOPE_NOWHERE = 255; // linux/rtnetlink.h
    public static final int RTPROT_BOOT = 3; // linux/rtnetlink.h
    public static final int RTM_F_CLONED = 0x200; // linux/rtnetlink.h
    public static final int RTN_UNICAST = 1; // linux/rtnetlink.h

    /** RTN_* (linux/rtnetlink.h) by number, spelled as iproute2 prints them (rtnl_rtntype_n2a; RTN_UNSPEC is "none"). */
    private static final String[] TYPES = {"none", "unicast", "local", "broadcast", "anycast", "multicast",
            "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"};

    /** {@code unicast}, {@code unreachable}, ...; the number as text when unknown. */
    public static String typeName(int type) {
        return type >= 0 && type < TYPES.length ? TYPES[type] : String.valueOf(type);
    }

    /** The RTN_* number of a name from {@link #typeName}. */
    public static Optional<Integer> typeCode(String name) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i].equals(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    public String typeName() {
        return typeName(type);
    }

    void encode(NlWriter w) {
        w.u8(family).u8(dstLen).u8(srcLen).u8(tos)
                .u8(table < 256 ? table : RT_TABLE_COMPAT).u8(protocol).u8(scope).u8(type).u32(flags);
        if (table != 0) {
            w.attrU32(RTA_TABLE, table);
        }
        if (dst != null) {
            w.attrAddress(RTA_DST, dst);
        }
        if (src != null) {
            w.attrAddress(RTA_SRC, src);
        }
        if (gateway != null) {
            w.attrAddress(RTA_GATEWAY, gateway);
        }
        if (oif != 0) {
            w.attrU32(RTA_OIF, oif);
        }
        if (priority != 0) {
            w.attrU32(RTA_PRIORITY, priority);
        }
        if (prefsrc != null) {
            w.attrAddress(RTA_PREFSRC, prefsrc);
        }
    }

    static NlPayload decode(ByteBuffer b, int from, int to) {
        if (to - from < SIZE) {
            return new NlPayload.Malformed("rtmsg needs " + SIZE + " bytes, got " + (to - from));
        }
        int table = Byte.toUnsignedInt(b.get(from + 4));
        IpAddress dst = null, src = null, gateway = null, prefsrc = null;
        int oif = 0, priority = 0;
        for (NlAttrs a = new NlAttrs(b, from + SIZE, to); a.next(); ) {
            switch (a.type()) {
                case RTA_TABLE -> table = a.u32();
                case RTA_DST -> dst = a.address();
                case RTA_SRC -> src = a.address();
                case RTA_GATEWAY -> gateway = a.address();
                case RTA_OIF -> oif = a.u32();
                case RTA_PRIORITY -> priority = a.u32();
                case RTA_PREFSRC -> prefsrc = a.address();
                default -> { } // metrics, cache info, multipath, pref: not used
            }
        }
        return new RouteMessage(Byte.toUnsignedInt(b.get(from)), Byte.toUnsignedInt(b.get(from + 1)),
                Byte.toUnsignedInt(b.get(from + 2)), Byte.toUnsignedInt(b.get(from + 3)), table,
                Byte.toUnsignedInt(b.get(from + 5)), Byte.toUnsignedInt(b.get(from + 6)),
                Byte.toUnsignedInt(b.get(from + 7)), b.getInt(from + 8), dst, src, gateway, oif, priority, prefsrc);
    }
}
