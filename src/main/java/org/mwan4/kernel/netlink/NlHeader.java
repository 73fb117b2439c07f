package org.mwan4.kernel.netlink;

/**
 * A {@code struct nlmsghdr} without its length (the codec computes it): message type, flags,
 * sequence number and sender port id. Numbers from linux/netlink.h.
 */
public record NlHeader(int type, int flags, int seq, int pid) {
    /** sizeof(struct nlmsghdr), linux/netlink.h. */
    public static final int SIZE = 16;

    public static final int NLMSG_NOOP = 0x1; // linux/netlink.h
    public static final int NLMSG_ERROR = 0x2; // linux/netlink.h
    public static final int NLMSG_DONE = 0x3; // linux/netlink.h
    public static final int NLMSG_OVERRUN = 0x4; // linux/netlink.h

    public static final int NLM_F_REQUEST = 0x01; // linux/netlink.h
    public static final int NLM_F_MULTI = 0x02; // linux/netlink.h
    public static final int NLM_F_ACK = 0x04; // linux/netlink.h
    public static final int NLM_F_DUMP_INTR = 0x10; // linux/netlink.h
    public static final int NLM_F_DUMP = 0x300; // NLM_F_ROOT|NLM_F_MATCH, linux/netlink.h
    public static final int NLM_F_REPLACE = 0x100; // modifiers of NEW, linux/netlink.h
    public static final int NLM_F_EXCL = 0x200; // linux/netlink.h
    public static final int NLM_F_CREATE = 0x400; // linux/netlink.h
    public static final int NLM_F_CAPPED = 0x100; // flags of an ACK, linux/netlink.h
    public static final int NLM_F_ACK_TLVS = 0x200; // flags of an ACK, linux/netlink.h

    public NlHeader {
        if ((type & ~0xFFFF) != 0 || (flags & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("nlmsg_type and nlmsg_flags are 16 bits: type " + type + ", flags " + flags);
        }
    }

    /** A request to the kernel (port id 0). */
    public static NlHeader request(int type, int flags, int seq) {
        return new NlHeader(type, NLM_F_REQUEST | flags, seq, 0);
    }

    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    /** NLMSG_ALIGN, linux/netlink.h: messages and attributes start on 4-byte boundaries. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }
}
