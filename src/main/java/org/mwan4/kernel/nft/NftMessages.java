package org.mwan4.kernel.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes nf_tables notifications (and encodes them, for tests and fakes). Pure functions over bytes.
 * <pre>
 * struct nlmsghdr  { u32 len; u16 type = NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | NFT_MSG_*; u16 flags; u32 seq; u32 pid; }  host order
 * struct nfgenmsg  { u8 family (NFPROTO_*); u8 version; be16 res_id; }
 * struct nlattr... { u16 len; u16 type; payload; padded to 4 }  e.g. NFTA_CHAIN_TABLE "fw4", NFTA_CHAIN_NAME "mwan4_x"
 * </pre>
 */
public final class NftMessages {
    private static final int NLMSG_HDRLEN = 16;               // linux/netlink.h
    private static final int NFGENMSG_LEN = 4;                // linux/netfilter/nfnetlink.h
    private static final int NLMSG_OVERRUN = 4;               // linux/netlink.h
    private static final int NFNL_SUBSYS_NFTABLES = 10;       // linux/netfilter/nfnetlink.h
    private static final int NFT_MSG_NEWGEN = 15;             // linux/netfilter/nf_tables.h
    // NFT_MSG_DESTROY{TABLE,CHAIN,RULE,SET,SETELEM} = 26..30, upstream nf_tables.h (newer than the installed header)
    private static final int NFT_MSG_DESTROYTABLE = 26;
    private static final int NLA_TYPE_MASK = 0x3fff;          // ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)
    // first attribute of every object message is its table: NFTA_{TABLE_NAME,CHAIN_TABLE,RULE_TABLE,SET_TABLE,SET_ELEM_LIST_TABLE} = 1
    private static final int ATTR_TABLE = 1;
    private static final int NFTA_CHAIN_NAME = 3;
    private static final int NFTA_RULE_CHAIN = 2;
    private static final int NFTA_SET_NAME = 2;
    private static final int NFTA_SET_ELEM_LIST_SET = 2;
    private static final int NFTA_GEN_ID = 1;
    private static final int NFTA_GEN_PROC_PID = 2;
    private static final int NFTA_GEN_PROC_NAME = 3;

    private NftMessages() {}

    /**
     * Every nf_tables notification in one datagram, in order. Other message types are skipped; a truncated
     * or malformed message ends decoding of the datagram (what came before it is kept).
     *
     * @param datagram header fields in host byte order, as recv(2) returns them
     */
    public static List<NftNotification> decode(ByteBuffer datagram) {
        ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
        List<NftNotification> out = new ArrayList<>();
        int pos = 0;
        while (b.limit() - pos >= NLMSG_HDRLEN) {
            int len = b.getInt(pos);
            if (len < NLMSG_HDRLEN || len > b.limit() - pos) {
                break;
            }
            int type = b.getShort(pos + 4) & 0xffff;
            if (type == NLMSG_OVERRUN) {
                out.add(new NftNotification.Overrun());
            } else if (type >> 8 == NFNL_SUBSYS_NFTABLES && len >= NLMSG_HDRLEN + NFGENMSG_LEN) {
                int family = b.get(pos + NLMSG_HDRLEN) & 0xff;
                String[] attrs = new String[8];
                byte[][] raw = new byte[8][];
                attributes(b, pos + NLMSG_HDRLEN + NFGENMSG_LEN, pos + len, raw);
                for (int i = 0; i < raw.length; i++) {
                    attrs[i] = raw[i] == null ? null : string(raw[i]);
                }
                notification(type & 0xff, family, attrs, raw).ifPresent(out::add);
            }
            pos += align(len);
        }
        return out;
    }

    /** The bytes the kernel sends for {@code change} (host order header, no flags), for tests and fakes. */
    public static byte[] encode(NftNotification.Change change, int seq) {
        int second = switch (change.kind()) {
            case NEW_TABLE, DEL_TABLE -> 0;
            case NEW_CHAIN, DEL_CHAIN -> NFTA_CHAIN_NAME;
            case NEW_RULE, DEL_RULE -> NFTA_RULE_CHAIN;
            case NEW_SET, DEL_SET -> NFTA_SET_NAME;
            case NEW_SETELEM, DEL_SETELEM -> NFTA_SET_ELEM_LIST_SET;
        };
        List<byte[]> attrs = new ArrayList<>();
        attrs.add(attr(ATTR_TABLE, cString(change.table())));
        if (second != 0) {
            attrs.add(attr(second, cString(change.name())));
        }
        return message(change.kind().msg(), familyNumber(change.family()), seq, attrs);
    }

    /** The bytes of an NFT_MSG_NEWGEN notification. */
    public static byte[] encode(NftNotification.Generation gen, int seq) {
        return message(NFT_MSG_NEWGEN, 0, seq, List.of(
                attr(NFTA_GEN_ID, be32((int) gen.id())),
                attr(NFTA_GEN_PROC_PID, be32(gen.pid())),
                attr(NFTA_GEN_PROC_NAME, cString(gen.process()))));
    }

    private static Optional<NftNotification> notification(int msg, int family, String[] a, byte[][] raw) {
        if (msg == NFT_MSG_NEWGEN) {
            long id = raw[NFTA_GEN_ID] == null ? -1 : Integer.toUnsignedLong(be32(raw[NFTA_GEN_ID]));
            int pid = raw[NFTA_GEN_PROC_PID] == null ? 0 : be32(raw[NFTA_GEN_PROC_PID]);
            return Optional.of(new NftNotification.Generation(id, pid, a[NFTA_GEN_PROC_NAME] == null ? "" : a[NFTA_GEN_PROC_NAME]));
        }
        if (msg >= NFT_MSG_DESTROYTABLE && msg <= NFT_MSG_DESTROYTABLE + 4) {
            // DESTROY{TABLE,CHAIN,RULE,SET,SETELEM} mirror DEL{TABLE=2,CHAIN=5,RULE=8,SET=11,SETELEM=14}
            msg = 2 + 3 * (msg - NFT_MSG_DESTROYTABLE);
        }
        NftNotification.Kind kind = null;
        for (NftNotification.Kind k : NftNotification.Kind.values()) {
            if (k.msg() == msg) {
                kind = k;
            }
        }
        if (kind == null || a[ATTR_TABLE] == null) {
            return Optional.empty();
        }
        String name = switch (kind) {
            case NEW_TABLE, DEL_TABLE -> a[ATTR_TABLE];
            case NEW_CHAIN, DEL_CHAIN -> a[NFTA_CHAIN_NAME];
            case NEW_RULE, DEL_RULE -> a[NFTA_RULE_CHAIN];
            case NEW_SET, DEL_SET -> a[NFTA_SET_NAME];
            case NEW_SETELEM, DEL_SETELEM -> a[NFTA_SET_ELEM_LIST_SET];
        };
        return Optional.of(new NftNotification.Change(kind, familyName(family), a[ATTR_TABLE], name == null ? "" : name));
    }

    /** Top-level attributes with types below {@code out.length}, by type; stops at a malformed one. */
    private static void attributes(ByteBuffer b, int from, int to, byte[][] out) {
        int pos = from;
        while (to - pos >= 4) {
            int len = b.getShort(pos) & 0xffff;
            int type = b.getShort(pos + 2) & NLA_TYPE_MASK;
            if (len < 4 || len > to - pos) {
                return;
            }
            if (type < out.length) {
                byte[] v = new byte[len - 4];
                b.get(pos + 4, v);
                out[type] = v;
            }
            pos += align(len);
        }
    }

    /** NFPROTO_* (linux/netfilter.h) as nft spells the family. */
    static String familyName(int nfproto) {
        return switch (nfproto) {
            case 1 -> "inet";
            case 2 -> "ip";
            case 3 -> "arp";
            case 5 -> "netdev";
            case 7 -> "bridge";
            case 10 -> "ip6";
            default -> "family" + nfproto;
        };
    }

    static int familyNumber(String name) {
        return switch (name) {
            case "inet" -> 1;
            case "ip" -> 2;
            case "arp" -> 3;
            case "netdev" -> 5;
            case "bridge" -> 7;
            case "ip6" -> 10;
            default -> name.startsWith("family") ? Integer.parseInt(name.substring(6)) : 0;
        };
    }

    private static byte[] message(int msg, int family, int seq, List<byte[]> attrs) {
        int len = NLMSG_HDRLEN + NFGENMSG_LEN + attrs.stream().mapToInt(a -> align(a.length)).sum();
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) (NFNL_SUBSYS_NFTABLES << 8 | msg)).putShort((short) 0).putInt(seq).putInt(0);
        b.put((byte) family).put((byte) 0).putShort((short) 0); // version NFNETLINK_V0, res_id
        for (byte[] a : attrs) {
            b.put(a);
            b.position(b.position() + align(a.length) - a.length);
        }
        return b.array();
    }

    private static byte[] attr(int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.nativeOrder());
        b.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        return b.array();
    }

    private static byte[] cString(String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[t.length + 1];
        System.arraycopy(t, 0, out, 0, t.length);
        return out;
    }

    private static String string(byte[] v) {
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }

    private static byte[] be32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array();
    }

    private static int be32(byte[] v) {
        return v.length < 4 ? 0 : ByteBuffer.wrap(v).order(ByteOrder.BIG_ENDIAN).getInt();
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }
}
