package org.mwan4.kernel.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.kernel.netlink.NlHeader;
import org.mwan4.kernel.netlink.NlWriter;

/**
 * Encodes interval-set element changes as one nf_tables transaction: an nfnetlink batch, the same bytes
 * {@code nft add element} / {@code nft delete element} send (libnftnl's set_elem.c), minus nft's cache
 * queries. Pure functions; {@link SetElementDecoder} reads such bytes back.
 * <pre>
 * nlmsghdr NFNL_MSG_BATCH_BEGIN  | nfgenmsg AF_UNSPEC, res_id htons(NFNL_SUBSYS_NFTABLES)
 * nlmsghdr NFT_MSG_DELSETELEM    | nfgenmsg NFPROTO_INET | TABLE "fw4" SET "mwan4_connected_ipv4"
 *                                  ELEMENTS { 1 { KEY { VALUE c0000200 } }  2 { FLAGS INTERVAL_END, KEY { VALUE c0000300 } } ... }
 * nlmsghdr NFT_MSG_NEWSETELEM ...  (NLM_F_CREATE; as many messages as the 64 KiB attribute limit needs)
 * nlmsghdr NFNL_MSG_BATCH_END
 * </pre>
 * Every element message asks for an ACK (NLM_F_ACK), so the sender can see each one's verdict. The kernel
 * applies the whole batch or none of it.
 */
public final class SetElementCodec {
    static final int NFNL_SUBSYS_NFTABLES = 10;        // linux/netfilter/nfnetlink.h
    static final int NFNL_MSG_BATCH_BEGIN = 0x10;      // NLMSG_MIN_TYPE, linux/netfilter/nfnetlink.h
    static final int NFNL_MSG_BATCH_END = 0x11;        // NLMSG_MIN_TYPE + 1
    static final int NFT_MSG_NEWSETELEM = 12;          // enum nf_tables_msg_types, linux/netfilter/nf_tables.h
    static final int NFT_MSG_DELSETELEM = 14;
    static final int NFPROTO_INET = 1;                 // linux/netfilter.h
    static final int NFTA_SET_ELEM_LIST_TABLE = 1;     // enum nft_set_elem_list_attributes
    static final int NFTA_SET_ELEM_LIST_SET = 2;
    static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    static final int NFTA_SET_ELEM_KEY = 1;            // enum nft_set_elem_attributes
    static final int NFTA_SET_ELEM_FLAGS = 3;
    static final int NFTA_SET_ELEM_USERDATA = 6;
    static final int NFTA_DATA_VALUE = 1;              // enum nft_data_attributes
    static final int NFT_SET_ELEM_INTERVAL_END = 1;    // enum nft_set_elem_flags
    static final int NFTNL_UDATA_SET_ELEM_FLAGS = 1;   // enum nftnl_udata_set_elem_types, libnftnl/udata.h
    static final int NFTNL_SET_ELEM_F_INTERVAL_OPEN = 1; // enum nftnl_udata_set_elem_flags
    /** The elements attribute's nla_len is 16 bits; libnftnl starts a new message before it overflows. */
    static final int MAX_ELEMENTS_ATTR = 0xFFFF;

    private static final String TABLE = "fw4";
    private static final int ATTR = 4;                 // struct nlattr
    /** The user data nft attaches to an open start: TLV {type u8, len u8, u32 flags in host order}. */
    private static final byte[] OPEN_UDATA = ByteBuffer.allocate(6).order(ByteOrder.nativeOrder())
            .put((byte) NFTNL_UDATA_SET_ELEM_FLAGS).put((byte) 4).putInt(NFTNL_SET_ELEM_F_INTERVAL_OPEN).array();

    private SetElementCodec() {}

    /**
     * Where one element sits in its message, to name it when the kernel rejects it.
     *
     * @param offset bytes from the start of its message's nlmsghdr to the element's attribute, as the kernel
     *               reports a bad attribute (NLMSGERR_ATTR_OFFS)
     */
    public record Placed(int offset, Cidr prefix, IntervalBound bound) {}

    /**
     * One NFT_MSG_NEWSETELEM / NFT_MSG_DELSETELEM message of a batch.
     *
     * @param change index of the {@link SetElements} in the list given to {@link #encode}
     */
    public record ElementMessage(int seq, int change, boolean add, String set, List<Placed> elements) {

        /** The element at the kernel's bad-attribute offset, or null when none starts there. */
        public Placed at(int offset) {
            int lo = 0;
            int hi = elements.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int o = elements.get(mid).offset();
                if (o == offset) {
                    return elements.get(mid);
                }
                if (o < offset) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return null;
        }

        /** {@code add element inet fw4 mwan4_connected_ipv4 { 192.0.2.0/24 ... }} (first and last prefix). */
        public String command() {
            Cidr first = elements.getFirst().prefix().network();
            Cidr last = elements.getLast().prefix().network();
            return (add ? "add" : "delete") + " element inet " + TABLE + " " + set + " { " + first
                    + (first.equals(last) ? "" : " ... " + last) + " }";
        }
    }

    /**
     * An encoded transaction.
     *
     * @param bytes    the datagram, every message header in host byte order
     * @param beginSeq sequence number of NFNL_MSG_BATCH_BEGIN (the kernel answers a commit failure with it)
     * @param endSeq   sequence number of NFNL_MSG_BATCH_END; the next batch may start after it
     * @param messages the element messages in batch order
     */
    public record Batch(byte[] bytes, int beginSeq, int endSeq, List<ElementMessage> messages) {
        public int prefixCount() {
            return (int) messages.stream().flatMap(m -> m.elements().stream()).filter(p -> !p.bound().end()).count();
        }
    }

    /**
     * The batch for {@code changes}: for each change its deletes, then its adds (so a prefix may move
     * between networks of the same set in one step). Empty changes add no message; no changes give a
     * batch with no element message.
     *
     * @param firstSeq sequence number of the batch begin; messages count up from it
     */
    public static Batch encode(List<SetElements> changes, int firstSeq) {
        NlWriter w = new NlWriter();
        int seq = firstSeq;
        batchMessage(w, NFNL_MSG_BATCH_BEGIN, seq++);
        List<ElementMessage> messages = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            SetElements c = changes.get(i);
            seq = elements(w, seq, i, c.set(), false, c.removed(), messages);
            seq = elements(w, seq, i, c.set(), true, c.added(), messages);
        }
        batchMessage(w, NFNL_MSG_BATCH_END, seq);
        return new Batch(w.toByteArray(), firstSeq, seq, List.copyOf(messages));
    }

    /** Messages for one direction of one set, each filling its elements attribute up to the 64 KiB limit. */
    private static int elements(NlWriter w, int seq, int change, String set, boolean add, Iterable<Cidr> prefixes,
                                List<ElementMessage> out) {
        List<Placed> placed = null;
        int messageStart = 0;
        int nest = 0;
        for (Cidr prefix : prefixes) {
            for (IntervalBound b : IntervalBound.of(prefix)) {
                int size = elementSize(b);
                if (placed != null && w.size() - nest + size > MAX_ELEMENTS_ATTR) {
                    w.nestEnd(nest).end();
                    out.add(new ElementMessage(seq++, change, add, set, List.copyOf(placed)));
                    placed = null;
                }
                if (placed == null) {
                    placed = new ArrayList<>();
                    messageStart = w.size();
                    nest = header(w, seq, set, add);
                }
                int at = w.size();
                element(w, placed.size() + 1, b);
                placed.add(new Placed(at - messageStart, prefix, b));
            }
        }
        if (placed != null) {
            w.nestEnd(nest).end();
            out.add(new ElementMessage(seq++, change, add, set, List.copyOf(placed)));
        }
        return seq;
    }

    /** nlmsghdr, nfgenmsg, table and set; returns the offset of the opened elements attribute. */
    private static int header(NlWriter w, int seq, String set, boolean add) {
        int type = NFNL_SUBSYS_NFTABLES << 8 | (add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM);
        // nft: NLM_F_CREATE for "add element" (NLM_F_EXCL would make an existing element an error: "create element")
        int flags = NlHeader.NLM_F_ACK | (add ? NlHeader.NLM_F_CREATE : 0);
        w.begin(NlHeader.request(type, flags, seq));
        w.bytes(new byte[] {(byte) NFPROTO_INET, 0, 0, 0}); // nfgenmsg: family, NFNETLINK_V0, res_id 0
        w.attrString(NFTA_SET_ELEM_LIST_TABLE, TABLE);
        w.attrString(NFTA_SET_ELEM_LIST_SET, set);
        return w.nestStart(NFTA_SET_ELEM_LIST_ELEMENTS);
    }

    /** One element, nested under its 1-based index as libnftnl numbers them (the kernel ignores the number). */
    private static void element(NlWriter w, int index, IntervalBound b) {
        int e = w.nestStart(index);
        if (b.end()) {
            w.attrBe32(NFTA_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
        }
        int key = w.nestStart(NFTA_SET_ELEM_KEY);
        w.attr(NFTA_DATA_VALUE, b.key().bytes());
        w.nestEnd(key);
        if (b.open()) {
            w.attr(NFTA_SET_ELEM_USERDATA, OPEN_UDATA);
        }
        w.nestEnd(e);
    }

    /** Encoded size of one element: its nest, the key nest with the value, flags for an end, user data for an open start. */
    private static int elementSize(IntervalBound b) {
        int keyLen = b.key().bits() / 8;
        return ATTR + ATTR + ATTR + keyLen + (b.end() ? ATTR + 4 : 0) + (b.open() ? ATTR + 8 : 0);
    }

    private static void batchMessage(NlWriter w, int type, int seq) {
        w.begin(NlHeader.request(type, 0, seq));
        // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id = htons(NFNL_SUBSYS_NFTABLES): the subsystem of the batch
        w.bytes(new byte[] {0, 0, 0, (byte) NFNL_SUBSYS_NFTABLES});
        w.end();
    }
}
