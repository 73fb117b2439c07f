package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;
import org.mwan4.config.IpAddress;

/**
 * RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE body: {@code struct fib_rule_hdr} plus attributes
 * (linux/fib_rules.h). The table follows the same rule as {@link RouteMessage}: FRA_TABLE wins.
 *
 * @param action   FR_ACT_TO_TBL, FR_ACT_BLACKHOLE, FR_ACT_UNREACHABLE, ...
 * @param priority FRA_PRIORITY (the {@code pref}), or 0
 * @param fwmark   FRA_FWMARK; written with FRA_FWMASK when either is non-zero
 * @param iifname  FRA_IIFNAME, or null
 * @param oifname  FRA_OIFNAME, or null
 * @param dst      FRA_DST, or null
 * @param src      FRA_SRC, or null
 * @param protocol FRA_PROTOCOL, or 0
 */
public record RuleMessage(int family, int dstLen, int srcLen, int tos, int table, int action, int flags,
                          int priority, int fwmark, int fwmask, String iifname, String oifname,
                          IpAddress dst, IpAddress src, int protocol) implements NlPayload {

    public static final int RTM_NEWRULE = 32; // linux/rtnetlink.h
    public static final int RTM_DELRULE = 33; // linux/rtnetlink.h
    public static final int RTM_GETRULE = 34; // linux/rtnetlink.h

    /** sizeof(struct fib_rule_hdr), linux/fib_rules.h. */
    static final int SIZE = 12;

    public static final int FRA_DST = 1; // linux/fib_rules.h
    public static final int FRA_SRC = 2; // linux/fib_rules.h
    public static final int FRA_IIFNAME = 3; // linux/fib_rules.h
    public static final int FRA_PRIORITY = 6; // linux/fib_rules.h
    public static final int FRA_FWMARK = 10; // linux/fib_rules.h
    public static final int FRA_TABLE = 15; // linux/fib_rules.h
    public static final int FRA_FWMASK = 16; // linux/fib_rules.h
    public static final int FRA_OIFNAME = 17; // linux/fib_rules.h
    public static final int FRA_PROTOCOL = 21; // linux/fib_rules.h

    public static final int FR_ACT_TO_TBL = 1; // linux/fib_rules.h
    public static final int FR_ACT_GOTO = 2; // linux/fib_rules.h
    public static final int FR_ACT_NOP = 3; // linux/fib_rules.h
    public static final int FR_ACT_BLACKHOLE = 6; // linux/fib_rules.h
    public static final int FR_ACT_UNREACHABLE = 7; // linux/fib_rules.h
    public static final int FR_ACT_PROHIBIT = 8; // linux/fib_rules.h

    void encode(NlWriter w) {
        w.u8(family).u8(dstLen).u8(srcLen).u8(tos)
                .u8(table < 256 ? table : RouteMessage.RT_TABLE_COMPAT).u8(0).u8(0).u8(action).u32(flags);
        if (table != 0) {
            w.attrU32(FRA_TABLE, table);
        }
        if (priority != 0) {
            w.attrU32(FRA_PRIORITY, priority);
        }
        if (fwmark != 0 || fwmask != 0) {
            w.attrU32(FRA_FWMARK, fwmark).attrU32(FRA_FWMASK, fwmask);
        }
        if (iifname != null) {
            w.attrString(FRA_IIFNAME, iifname);
        }
        if (oifname != null) {
            w.attrString(FRA_OIFNAME, oifname);
        }
        if (dst != null) {
            w.attrAddress(FRA_DST, dst);
        }
        if (src != null) {
            w.attrAddress(FRA_SRC, src);
        }
        if (protocol != 0) {
            w.attrU8(FRA_PROTOCOL, protocol);
        }
    }

    static NlPayload decode(ByteBuffer b, int from, int to) {
        if (to - from < SIZE) {
            return new NlPayload.Malformed("fib_rule_hdr needs " + SIZE + " bytes, got " + (to - from));
        }
        int table = Byte.toUnsignedInt(b.get(from + 4));
        int priority = 0, fwmark = 0, fwmask = 0, protocol = 0;
        String iif = null, oif = null;
        IpAddress dst = null, src = null;
        for (NlAttrs a = new NlAttrs(b, from + SIZE, to); a.next(); ) {
            switch (a.type()) {
                case FRA_TABLE -> table = a.u32();
                case FRA_PRIORITY -> priority = a.u32();
                case FRA_FWMARK -> fwmark = a.u32();
                case FRA_FWMASK -> fwmask = a.u32();
                case FRA_IIFNAME -> iif = a.string();
                case FRA_OIFNAME -> oif = a.string();
                case FRA_DST -> dst = a.address();
                case FRA_SRC -> src = a.address();
                case FRA_PROTOCOL -> protocol = a.u8();
                default -> { } // goto target, uid range, ports, ...: not used
            }
        }
        return new RuleMessage(Byte.toUnsignedInt(b.get(from)), Byte.toUnsignedInt(b.get(from + 1)),
                Byte.toUnsignedInt(b.get(from + 2)), Byte.toUnsignedInt(b.get(from + 3)), table,
                Byte.toUnsignedInt(b.get(from + 7)), b.getInt(from + 8), priority, fwmark, fwmask, iif, oif, dst, src, protocol);
    }
}
