package org.mwan4.kernel.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.kernel.netlink.NlAttrs;
import org.mwan4.kernel.netlink.NlHeader;

/**
 * Reads nf_tables element batches (ours from {@link SetElementCodec}, or what {@code nft} sent, captured) and
 * the kernel's answers to them. Pure functions that never throw on bad bytes: a broken frame ends the walk
 * with a {@link Message.Malformed} entry.
 */
public final class SetElementDecoder {
    private static final int NFGENMSG = 4;             // struct nfgenmsg, linux/netfilter/nfnetlink.h
    private static final int NLMSGERR_ATTR_MSG = 1;    // enum nlmsgerr_attrs, linux/netlink.h
    private static final int NLMSGERR_ATTR_OFFS = 2;

    private SetElementDecoder() {}

    /** One message of a batch. */
    public sealed interface Message {
        /** NFNL_MSG_BATCH_BEGIN / END with the subsystem the batch is for ({@code res_id}, network order on the wire). */
        record Batch(boolean begin, int seq, int subsystem) implements Message {}

        /** NFT_MSG_NEWSETELEM ({@code add}) or NFT_MSG_DELSETELEM, with its elements in wire order. */
        record Elements(int seq, int flags, boolean add, int nfproto, String table, String set, List<IntervalBound> bounds)
                implements Message {}

        /** Any other message (type as on the wire). */
        record Other(int seq, int type) implements Message {}

        record Malformed(String reason) implements Message {}
    }

    /**
     * The kernel's answer to one request: an ACK ({@code error == 0}) or {@code -errno}, its ext-ack text and,
     * when the kernel pointed at an attribute, that attribute's offset from the request's nlmsghdr.
     *
     * @param badAttribute NLMSGERR_ATTR_OFFS, or -1
     */
    public record Answer(int seq, int error, String text, int badAttribute) {}

    /** The messages of a batch datagram, in order. */
    public static List<Message> messages(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            if (data.length - pos < NlHeader.SIZE + NFGENMSG) {
                out.add(new Message.Malformed((data.length - pos) + " trailing bytes at offset " + pos));
                break;
            }
            int len = b.getInt(pos);
            if (len < NlHeader.SIZE + NFGENMSG || len > data.length - pos) {
                out.add(new Message.Malformed("nlmsg_len " + Integer.toUnsignedString(len) + " at offset " + pos));
                break;
            }
            out.add(message(b, pos, len));
            pos += NlHeader.align(len);
        }
        return out;
    }

    private static Message message(ByteBuffer b, int pos, int len) {
        int type = Short.toUnsignedInt(b.getShort(pos + 4));
        int flags = Short.toUnsignedInt(b.getShort(pos + 6));
        int seq = b.getInt(pos + 8);
        int body = pos + NlHeader.SIZE;
        if (type == SetElementCodec.NFNL_MSG_BATCH_BEGIN || type == SetElementCodec.NFNL_MSG_BATCH_END) {
            int resId = Byte.toUnsignedInt(b.get(body + 2)) << 8 | Byte.toUnsignedInt(b.get(body + 3));
            return new Message.Batch(type == SetElementCodec.NFNL_MSG_BATCH_BEGIN, seq, resId);
        }
        int msg = type & 0xFF;
        boolean elementMessage = msg == SetElementCodec.NFT_MSG_NEWSETELEM || msg == SetElementCodec.NFT_MSG_DELSETELEM;
        if (type >> 8 != SetElementCodec.NFNL_SUBSYS_NFTABLES || !elementMessage) {
            return new Message.Other(seq, type);
        }
        String table = null;
        String set = null;
        List<IntervalBound> bounds = new ArrayList<>();
        NlAttrs a = new NlAttrs(b, body + NFGENMSG, pos + len);
        while (a.next()) {
            switch (a.type()) {
                case SetElementCodec.NFTA_SET_ELEM_LIST_TABLE -> table = a.string();
                case SetElementCodec.NFTA_SET_ELEM_LIST_SET -> set = a.string();
                case SetElementCodec.NFTA_SET_ELEM_LIST_ELEMENTS -> {
                    for (NlAttrs e = a.nested(); e.next(); ) {
                        IntervalBound bound = bound(e.nested());
                        if (bound == null) {
                            return new Message.Malformed("element " + bounds.size() + " of message " + seq + " has no 4- or 16-byte key");
                        }
                        bounds.add(bound);
                    }
                }
                default -> { } // NFTA_SET_ELEM_LIST_SET_ID (nft sends it) and others do not change the elements
            }
        }
        if (a.truncated() || table == null || set == null) {
            return new Message.Malformed("element message " + seq + " is truncated or lacks its table or set");
        }
        return new Message.Elements(seq, flags, msg == SetElementCodec.NFT_MSG_NEWSETELEM,
                Byte.toUnsignedInt(b.get(body)), table, set, List.copyOf(bounds));
    }

    private static IntervalBound bound(NlAttrs attrs) {
        IpAddress key = null;
        boolean end = false;
        boolean open = false;
        while (attrs.next()) {
            switch (attrs.type()) {
                case SetElementCodec.NFTA_SET_ELEM_KEY -> {
                    for (NlAttrs v = attrs.nested(); v.next(); ) {
                        if (v.type() == SetElementCodec.NFTA_DATA_VALUE) {
                            key = v.address();
                        }
                    }
                }
                case SetElementCodec.NFTA_SET_ELEM_FLAGS -> end = (attrs.be32() & SetElementCodec.NFT_SET_ELEM_INTERVAL_END) != 0;
                case SetElementCodec.NFTA_SET_ELEM_USERDATA -> open = openFlag(attrs.bytes());
                default -> { }
            }
        }
        return key == null ? null : new IntervalBound(key, end, open);
    }

    /** NFTNL_UDATA_SET_ELEM_FLAGS with NFTNL_SET_ELEM_F_INTERVAL_OPEN among the user-data TLVs {u8 type, u8 len, value}. */
    private static boolean openFlag(byte[] udata) {
        ByteBuffer u = ByteBuffer.wrap(udata).order(ByteOrder.nativeOrder());
        int pos = 0;
        while (pos + 2 <= udata.length) {
            int type = Byte.toUnsignedInt(u.get(pos));
            int len = Byte.toUnsignedInt(u.get(pos + 1));
            if (pos + 2 + len > udata.length) {
                return false;
            }
            if (type == SetElementCodec.NFTNL_UDATA_SET_ELEM_FLAGS && len == 4) {
                return (u.getInt(pos + 2) & SetElementCodec.NFTNL_SET_ELEM_F_INTERVAL_OPEN) != 0;
            }
            pos += 2 + len;
        }
        return false;
    }

    /**
     * The changes a batch makes, as prefixes: consecutive element messages for one set become one
     * {@link SetElements}. A start and the end after it are one range; an open start runs to the family's last
     * address; an end with no start before it (nft's "first segment" 0.0.0.0 end key) and a start followed
     * by another start are left out. Ranges become the prefixes covering them exactly.
     */
    public static List<SetElements> changes(List<Message> messages) {
        List<SetElements> out = new ArrayList<>();
        String set = null;
        Family family = null;
        TreeSet<Cidr> added = new TreeSet<>();
        TreeSet<Cidr> removed = new TreeSet<>();
        IntervalBound pending = null;
        for (Message m : messages) {
            if (!(m instanceof Message.Elements e) || e.bounds().isEmpty()) {
                continue;
            }
            if (!e.set().equals(set)) {
                if (set != null) {
                    out.add(new SetElements(set, family, added, removed));
                }
                set = e.set();
                family = e.bounds().getFirst().key().family();
                added = new TreeSet<>();
                removed = new TreeSet<>();
                pending = null;
            }
            TreeSet<Cidr> into = e.add() ? added : removed;
            for (IntervalBound b : e.bounds()) {
                if (b.key().family() != family) {
                    continue;
                }
                if (b.end()) {
                    if (pending != null && b.key().compareTo(pending.key()) > 0) {
                        into.addAll(AddressRanges.prefixes(pending.key(), IntervalBound.previous(b.key())));
                    }
                    pending = null;
                } else if (b.open()) {
                    into.addAll(AddressRanges.prefixes(b.key(), IntervalBound.last(family)));
                    pending = null;
                } else {
                    pending = b;
                }
            }
        }
        if (set != null) {
            out.add(new SetElements(set, family, added, removed));
        }
        return out;
    }

    /** Every NLMSG_ERROR (ACK or error) in a datagram of answers, in order. */
    public static List<Answer> answers(byte[] data, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<Answer> out = new ArrayList<>();
        int pos = 0;
        while (length - pos >= NlHeader.SIZE) {
            int len = b.getInt(pos);
            if (len < NlHeader.SIZE || len > length - pos) {
                break;
            }
            int type = Short.toUnsignedInt(b.getShort(pos + 4));
            int flags = Short.toUnsignedInt(b.getShort(pos + 6));
            int body = pos + NlHeader.SIZE;
            if (type == NlHeader.NLMSG_ERROR && len >= NlHeader.SIZE + 4 + NlHeader.SIZE) {
                int error = b.getInt(body);
                int requestLen = b.getInt(body + 4);
                int requestSeq = b.getInt(body + 12);
                // struct nlmsgerr: the request's header, its body too unless NLM_F_CAPPED, then ext-ack TLVs
                boolean capped = (flags & NlHeader.NLM_F_CAPPED) != 0 || requestLen < NlHeader.SIZE;
                int tlvs = body + 4 + (capped ? NlHeader.SIZE : NlHeader.align(requestLen));
                String text = null;
                int offset = -1;
                for (NlAttrs a = new NlAttrs(b, tlvs, pos + len); a.next(); ) {
                    if (a.type() == NLMSGERR_ATTR_MSG) {
                        text = a.string();
                    } else if (a.type() == NLMSGERR_ATTR_OFFS) {
                        offset = a.u32();
                    }
                }
                out.add(new Answer(requestSeq, error, text, offset));
            }
            pos += NlHeader.align(len);
        }
        return out;
    }
}
