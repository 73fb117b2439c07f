package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;

/**
 * RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK body: {@code struct ifinfomsg} plus the attributes mwan4 reads.
 *
 * @param family     ifi_family (AF_UNSPEC for links; AF_BRIDGE for bridge-port notifications)
 * @param deviceType ifi_type, ARPHRD_*
 * @param index      ifi_index (0 in a request by name)
 * @param flags      ifi_flags, IFF_*
 * @param change     ifi_change
 * @param name       IFLA_IFNAME, or null when absent
 * @param operstate  IFLA_OPERSTATE (IF_OPER_*), or null when absent
 * @param carrier    IFLA_CARRIER (0/1), or null when absent
 */
public record LinkMessage(int family, int deviceType, int index, int flags, int change,
                          String name, Integer operstate, Integer carrier) implements NlPayload {

    public static final int RTM_NEWLINK = 16; // linux/rtnetlink.h
    public static final int RTM_DELLINK = 17; // linux/rtnetlink.h
    public static final int RTM_GETLINK = 18; // linux/rtnetlink.h

    /** sizeof(struct ifinfomsg), linux/rtnetlink.h. */
    static final int SIZE = 16;

    public static final int IFLA_IFNAME = 3; // linux/if_link.h
    public static final int IFLA_OPERSTATE = 16; // linux/if_link.h
    public static final int IFLA_CARRIER = 33; // linux/if_link.h

    public static final int IFF_UP = 1; // linux/if.h
    public static final int IFF_LOOPBACK = 1 << 3; // linux/if.h
    public static final int IFF_LOWER_UP = 1 << 16; // linux/if.h

    /** IF_OPER_* in linux/if.h order, spelled as iproute2 prints them. */
    private static final String[] OPERSTATES = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"};

    /** A lookup by name: the body of {@code ip link show NAME}. */
    public static LinkMessage byName(String name) {
        return new LinkMessage(0, 0, 0, 0, 0, name, null, null);
    }

    public boolean adminUp() {
        return (flags & IFF_UP) != 0;
    }

    /** IFLA_CARRIER when present, else IFF_LOWER_UP. */
    public boolean hasCarrier() {
        return carrier != null ? carrier != 0 : (flags & IFF_LOWER_UP) != 0;
    }

    /** {@code UP}, {@code DOWN}, {@code LOWERLAYERDOWN}, ... as {@code ip link} prints; the number when unknown. */
    public String operstateName() {
        if (operstate == null) {
            return "UNKNOWN";
        }
        return operstate >= 0 && operstate < OPERSTATES.length ? OPERSTATES[operstate] : String.valueOf(operstate);
    }

    void encode(NlWriter w) {
        w.u8(family).u8(0).u16(deviceType).u32(index).u32(flags).u32(change);
        if (name != null) {
            w.attrString(IFLA_IFNAME, name);
        }
        if (operstate != null) {
            w.attrU8(IFLA_OPERSTATE, operstate);
        }
        if (carrier != null) {
            w.attrU8(IFLA_CARRIER, carrier);
        }
    }

    static NlPayload decode(ByteBuffer b, int from, int to) {
        if (to - from < SIZE) {
            return new NlPayload.Malformed("ifinfomsg needs " + SIZE + " bytes, got " + (to - from));
        }
        String name = null;
        Integer operstate = null;
        Integer carrier = null;
        for (NlAttrs a = new NlAttrs(b, from + SIZE, to); a.next(); ) {
            switch (a.type()) {
                case IFLA_IFNAME -> name = a.string();
                case IFLA_OPERSTATE -> operstate = a.u8();
                case IFLA_CARRIER -> carrier = a.u8();
                default -> { } // attributes mwan4 does not use
            }
        }
        return new LinkMessage(Byte.toUnsignedInt(b.get(from)), Short.toUnsignedInt(b.getShort(from + 2)),
                b.getInt(from + 4), b.getInt(from + 8), b.getInt(from + 12), name, operstate, carrier);
    }
}
