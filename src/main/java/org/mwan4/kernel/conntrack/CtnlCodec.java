package org.mwan4.kernel.conntrack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.netlink.NlAttrs;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.kernel.netlink.NlMessage;
import org.mwan4.kernel.netlink.NlPayload;
import org.mwan4.kernel.netlink.NlWriter;
import org.mwan4.kernel.netlink.PlanMessages;

/**
 * Pure encoding and decoding of ctnetlink messages: {@code struct nfgenmsg} then attributes, whose
 * numbers are in network byte order (linux/netfilter/nfnetlink.h, nfnetlink_conntrack.h).
 */
public final class CtnlCodec {
    private static final int NFNL_SUBSYS_CTNETLINK = 1; // linux/netfilter/nfnetlink.h
    /** IPCTNL_MSG_CT_NEW, linux/netfilter/nfnetlink_conntrack.h: also the type of dumped entries. */
    public static final int CT_NEW = NFNL_SUBSYS_CTNETLINK << 8;
    /** IPCTNL_MSG_CT_GET, nfnetlink_conntrack.h. */
    public static final int CT_GET = (NFNL_SUBSYS_CTNETLINK << 8) | 1;
    /** IPCTNL_MSG_CT_DELETE, nfnetlink_conntrack.h. */
    public static final int CT_DELETE = (NFNL_SUBSYS_CTNETLINK << 8) | 2;

    private static final int NFGENMSG_SIZE = 4; // struct nfgenmsg, nfnetlink.h
    private static final int NFNETLINK_V0 = 0; // nfnetlink.h

    private static final int CTA_TUPLE_ORIG = 1; // enum ctattr_type, nfnetlink_conntrack.h
    private static final int CTA_MARK = 8;
    private static final int CTA_ID = 12;
    private static final int CTA_ZONE = 18;
    private static final int CTA_MARK_MASK = 21;

    private static final int CTA_TUPLE_IP = 1; // enum ctattr_tuple
    private static final int CTA_TUPLE_PROTO = 2;

    private static final int CTA_IP_V4_SRC = 1; // enum ctattr_ip
    private static final int CTA_IP_V4_DST = 2;
    private static final int CTA_IP_V6_SRC = 3;
    private static final int CTA_IP_V6_DST = 4;

    private static final int CTA_PROTO_NUM = 1; // enum ctattr_l4proto
    private static final int CTA_PROTO_SRC_PORT = 2;
    private static final int CTA_PROTO_DST_PORT = 3;
    private static final int CTA_PROTO_ICMP_ID = 4;
    private static final int CTA_PROTO_ICMP_TYPE = 5;
    private static final int CTA_PROTO_ICMP_CODE = 6;
    private static final int CTA_PROTO_ICMPV6_ID = 7;
    private static final int CTA_PROTO_ICMPV6_TYPE = 8;
    private static final int CTA_PROTO_ICMPV6_CODE = 9;

    private CtnlCodec() {}

    /**
     * A dump of the entries of {@code family} whose {@code mark & mask == mark}, filtered in the kernel
     * (CTA_MARK + CTA_MARK_MASK): {@code conntrack -L -f ipv4 --mark MARK/MASK}.
     */
    public static NlMessage dumpMarked(int seq, Family family, int mark, int mask) {
        NlWriter w = new NlWriter();
        nfgen(w, family);
        w.attrBe32(CTA_MARK, mark).attrBe32(CTA_MARK_MASK, mask);
        return new NlMessage(NlHeader.request(CT_GET, NlHeader.NLM_F_DUMP, seq), new NlPayload.Raw(w.toByteArray()));
    }

    /** Deletes exactly {@code e} (tuple, id and zone must all match), with an ACK. */
    public static NlMessage delete(int seq, ConntrackEntry e) {
        return entryMessage(NlHeader.request(CT_DELETE, NlHeader.NLM_F_ACK, seq), e);
    }

    /** An entry as the kernel dumps it (IPCTNL_MSG_CT_NEW) or as a delete names it; the inverse of {@link #entry}. */
    public static NlMessage entryMessage(NlHeader header, ConntrackEntry e) {
        NlWriter w = new NlWriter();
        body(w, e);
        return new NlMessage(header, new NlPayload.Raw(w.toByteArray()));
    }

    /** The entry in a dumped IPCTNL_MSG_CT_NEW (or a CT_DELETE) message; empty for other messages or bytes that do not parse. */
    public static Optional<ConntrackEntry> entry(NlMessage m) {
        if ((m.type() != CT_NEW && m.type() != CT_DELETE) || !(m.payload() instanceof NlPayload.Raw raw)) {
            return Optional.empty();
        }
        byte[] b = raw.bytes();
        if (b.length < NFGENMSG_SIZE) {
            return Optional.empty();
        }
        Optional<Family> family = PlanMessages.family(Byte.toUnsignedInt(b[0]));
        if (family.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        CtTuple orig = null;
        int mark = 0, id = 0, zone = 0;
        for (NlAttrs a = new NlAttrs(buf, NFGENMSG_SIZE, b.length); a.next(); ) {
            switch (a.type()) {
                case CTA_TUPLE_ORIG -> orig = tuple(a.nested());
                case CTA_MARK -> mark = a.be32();
                case CTA_ID -> id = a.be32();
                case CTA_ZONE -> zone = a.be16();
                default -> { } // status, timeout, counters, reply tuple...: not needed to delete
            }
        }
        if (orig == null || orig.src() == null || orig.dst() == null) {
            return Optional.empty();
        }
        return Optional.of(new ConntrackEntry(family.get(), orig, mark, id, zone));
    }

    private static void body(NlWriter w, ConntrackEntry e) {
        nfgen(w, e.family());
        int t = w.nestStart(CTA_TUPLE_ORIG);
        int ip = w.nestStart(CTA_TUPLE_IP);
        boolean v4 = e.family() == Family.IPV4;
        w.attrAddress(v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, e.original().src());
        w.attrAddress(v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, e.original().dst());
        w.nestEnd(ip);
        int proto = w.nestStart(CTA_TUPLE_PROTO);
        CtTuple o = e.original();
        w.attrU8(CTA_PROTO_NUM, o.protocol());
        if (o.hasPorts()) {
            w.attrBe16(CTA_PROTO_SRC_PORT, o.srcPort()).attrBe16(CTA_PROTO_DST_PORT, o.dstPort());
        } else if (o.isIcmp()) {
            boolean six = o.protocol() == CtTuple.IPPROTO_ICMPV6;
            w.attrBe16(six ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID, o.icmpId())
                    .attrU8(six ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE, o.icmpType())
                    .attrU8(six ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE, o.icmpCode());
        }
        w.nestEnd(proto);
        w.nestEnd(t);
        w.attrBe32(CTA_MARK, e.mark()).attrBe32(CTA_ID, e.id());
        if (e.zone() != 0) {
            w.attrBe16(CTA_ZONE, e.zone());
        }
    }

    private static void nfgen(NlWriter w, Family family) {
        w.u8(PlanMessages.af(family)).u8(NFNETLINK_V0).u16(0);
    }

    private static CtTuple tuple(NlAttrs t) {
        IpAddress src = null, dst = null;
        int protocol = 0, sport = 0, dport = 0, icmpId = 0, icmpType = 0, icmpCode = 0;
        while (t.next()) {
            if (t.type() == CTA_TUPLE_IP) {
                for (NlAttrs a = t.nested(); a.next(); ) {
                    switch (a.type()) {
                        case CTA_IP_V4_SRC, CTA_IP_V6_SRC -> src = a.address();
                        case CTA_IP_V4_DST, CTA_IP_V6_DST -> dst = a.address();
                        default -> { }
                    }
                }
            } else if (t.type() == CTA_TUPLE_PROTO) {
                for (NlAttrs a = t.nested(); a.next(); ) {
                    switch (a.type()) {
                        case CTA_PROTO_NUM -> protocol = a.u8();
                        case CTA_PROTO_SRC_PORT -> sport = a.be16();
                        case CTA_PROTO_DST_PORT -> dport = a.be16();
                        case CTA_PROTO_ICMP_ID, CTA_PROTO_ICMPV6_ID -> icmpId = a.be16();
                        case CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMPV6_TYPE -> icmpType = a.u8();
                        case CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMPV6_CODE -> icmpCode = a.u8();
                        default -> { }
                    }
                }
            }
        }
        return new CtTuple(src, dst, protocol, sport, dport, icmpId, icmpType, icmpCode);
    }
}
