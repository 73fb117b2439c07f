package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure encoding and decoding of netlink messages (no sockets here). One datagram may hold several
 * messages (a dump part, or a batch of requests); each starts on a 4-byte boundary.
 *
 * <p>Decoding never throws: a frame whose length is impossible ends the walk with a
 * {@link NlPayload.Malformed} entry, a body shorter than its struct becomes {@code Malformed} too.
 */
public final class NlCodec {
    /** NLMSGERR_ATTR_MSG, linux/netlink.h. */
    private static final int NLMSGERR_ATTR_MSG = 1;

    /** Which bodies to interpret: rtnetlink ones, or none (nfnetlink bodies are read by their own codec). */
    public enum Dialect { ROUTE, RAW }

    private NlCodec() {}

    public static byte[] encode(NlMessage m) {
        return encode(List.of(m));
    }

    public static byte[] encode(List<NlMessage> messages) {
        NlWriter w = new NlWriter();
        for (NlMessage m : messages) {
            append(w, m);
        }
        return w.toByteArray();
    }

    /** Appends one message to {@code w}. */
    public static void append(NlWriter w, NlMessage m) {
        w.begin(m.header());
        switch (m.payload()) {
            case NlPayload.Done d -> w.u32(d.error());
            case NlPayload.Error e -> {
                w.u32(e.error());
                // the request's header only (NLM_F_CAPPED form); its length says so
                NlHeader r = e.request();
                w.u32(NlHeader.SIZE).u16(r.type()).u16(r.flags()).u32(r.seq()).u32(r.pid());
                if (e.extAck() != null) {
                    w.attrString(NLMSGERR_ATTR_MSG, e.extAck());
                }
            }
            case NlPayload.Raw r -> w.bytes(r.bytes());
            case NlPayload.Malformed bad -> throw new IllegalArgumentException("cannot encode a malformed message: " + bad.reason());
            case LinkMessage l -> l.encode(w);
            case AddressMessage a -> a.encode(w);
            case RouteMessage r -> r.encode(w);
            case RuleMessage r -> r.encode(w);
        }
        w.end();
    }

    public static List<NlMessage> decode(byte[] data) {
        return decode(data, 0, data.length, Dialect.ROUTE);
    }

    /** Decodes the messages in {@code data[offset, offset+length)}. */
    public static List<NlMessage> decode(byte[] data, int offset, int length, Dialect dialect) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        List<NlMessage> out = new ArrayList<>();
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            if (end - pos < NlHeader.SIZE) {
                out.add(new NlMessage(new NlHeader(0, 0, 0, 0),
                        new NlPayload.Malformed((end - pos) + " trailing bytes at offset " + (pos - offset) + ", a header needs 16")));
                break;
            }
            int len = b.getInt(pos);
            NlHeader h = new NlHeader(Short.toUnsignedInt(b.getShort(pos + 4)), Short.toUnsignedInt(b.getShort(pos + 6)),
                    b.getInt(pos + 8), b.getInt(pos + 12));
            if (len < NlHeader.SIZE || len > end - pos) {
                out.add(new NlMessage(h, new NlPayload.Malformed("nlmsg_len " + Integer.toUnsignedString(len)
                        + " at offset " + (pos - offset) + " does not fit the " + (end - pos) + " bytes left")));
                break;
            }
            out.add(new NlMessage(h, body(b, h, pos + NlHeader.SIZE, pos + len, dialect)));
            pos += NlHeader.align(len);
        }
        return out;
    }

    private static NlPayload body(ByteBuffer b, NlHeader h, int from, int to, Dialect dialect) {
        int t = h.type();
        if (t == NlHeader.NLMSG_DONE) {
            return new NlPayload.Done(to - from >= 4 ? b.getInt(from) : 0);
        }
        if (t == NlHeader.NLMSG_ERROR) {
            return error(b, h, from, to);
        }
        if (dialect == Dialect.ROUTE) {
            switch (t) {
                case LinkMessage.RTM_NEWLINK, LinkMessage.RTM_DELLINK, LinkMessage.RTM_GETLINK -> {
                    return LinkMessage.decode(b, from, to);
                }
                case AddressMessage.RTM_NEWADDR, AddressMessage.RTM_DELADDR, AddressMessage.RTM_GETADDR -> {
                    return AddressMessage.decode(b, from, to);
                }
                case RouteMessage.RTM_NEWROUTE, RouteMessage.RTM_DELROUTE, RouteMessage.RTM_GETROUTE -> {
                    return RouteMessage.decode(b, from, to);
                }
                case RuleMessage.RTM_NEWRULE, RuleMessage.RTM_DELRULE, RuleMessage.RTM_GETRULE -> {
                    return RuleMessage.decode(b, from, to);
                }
                default -> { } // other rtnetlink kinds (neighbours, qdiscs...) stay raw
            }
        }
        byte[] raw = new byte[to - from];
        b.get(from, raw);
        return new NlPayload.Raw(raw);
    }

    /** {@code struct nlmsgerr}: error, the request's header (and its body unless NLM_F_CAPPED), then ext-ack TLVs. */
    private static NlPayload error(ByteBuffer b, NlHeader h, int from, int to) {
        if (to - from < 4 + NlHeader.SIZE) {
            return new NlPayload.Malformed("nlmsgerr needs " + (4 + NlHeader.SIZE) + " bytes, got " + (to - from));
        }
        int error = b.getInt(from);
        int reqLen = b.getInt(from + 4);
        NlHeader req = new NlHeader(Short.toUnsignedInt(b.getShort(from + 8)), Short.toUnsignedInt(b.getShort(from + 10)),
                b.getInt(from + 12), b.getInt(from + 16));
        int tlvs = from + 4 + (h.has(NlHeader.NLM_F_CAPPED) || reqLen < NlHeader.SIZE ? NlHeader.SIZE : NlHeader.align(reqLen));
        String msg = null;
        for (NlAttrs a = new NlAttrs(b, tlvs, to); a.next(); ) {
            if (a.type() == NLMSGERR_ATTR_MSG) {
                msg = a.string();
            }
        }
        return new NlPayload.Error(error, req, msg);
    }
}
