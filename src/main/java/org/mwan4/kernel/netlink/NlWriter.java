package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mwan4.config.IpAddress;

/**
 * Builds netlink messages into a growing byte array: {@code nlmsghdr}, a fixed struct, then TLV
 * attributes ({@code struct nlattr}/{@code struct rtattr}), each padded to 4 bytes. Netlink numbers are
 * in host byte order; the {@code be*} methods write network order for nfnetlink attributes.
 * Several messages may follow each other (a batch sent with one {@code sendto}).
 *
 * <pre>{@code
 * NlWriter w = new NlWriter();
 * w.begin(NlHeader.request(RTM_NEWRULE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 7));
 * w.u8(AF_INET) ... ; w.attrU32(FRA_PRIORITY, 2001);
 * w.end();
 * }</pre>
 */
public final class NlWriter {
    /** nla_len and nla_type, linux/netlink.h. */
    static final int ATTR_HEADER = 4;
    /** NLA_F_NESTED, linux/netlink.h. */
    public static final int NLA_F_NESTED = 1 << 15;

    private ByteBuffer buf = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
    private int messageStart = -1;

    /** Starts a message; its length is patched in by {@link #end()}. */
    public NlWriter begin(NlHeader h) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message at " + messageStart + " not ended");
        }
        pad();
        messageStart = buf.position();
        ensure(NlHeader.SIZE);
        buf.putInt(0).putShort((short) h.type()).putShort((short) h.flags()).putInt(h.seq()).putInt(h.pid());
        return this;
    }

    /** Ends the message: pads to 4 bytes and writes nlmsg_len. */
    public NlWriter end() {
        if (messageStart < 0) {
            throw new IllegalStateException("no message begun");
        }
        pad();
        buf.putInt(messageStart, buf.position() - messageStart);
        messageStart = -1;
        return this;
    }

    public NlWriter u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public NlWriter u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public NlWriter u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public NlWriter bytes(byte[] b) {
        ensure(b.length);
        buf.put(b);
        return this;
    }

    public NlWriter attr(int type, byte[] value) {
        ensure(ATTR_HEADER + value.length + 3);
        buf.putShort((short) (ATTR_HEADER + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    public NlWriter attrU8(int type, int v) {
        return attr(type, new byte[] {(byte) v});
    }

    public NlWriter attrU16(int type, int v) {
        ensure(8);
        buf.putShort((short) 6).putShort((short) type).putShort((short) v);
        pad();
        return this;
    }

    public NlWriter attrU32(int type, int v) {
        ensure(8);
        buf.putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }

    /** A 16-bit value in network byte order (nfnetlink ports, zones). */
    public NlWriter attrBe16(int type, int v) {
        return attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    /** A 32-bit value in network byte order (nfnetlink marks, ids). */
    public NlWriter attrBe32(int type, int v) {
        return attr(type, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** A NUL-terminated string, as the kernel's NLA_STRING/NLA_NUL_STRING expect. */
    public NlWriter attrString(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(b, b.length + 1));
    }

    /** An address in network byte order, 4 or 16 bytes. */
    public NlWriter attrAddress(int type, IpAddress a) {
        return attr(type, a.bytes());
    }

    /** Opens a nested attribute; pass the returned offset to {@link #nestEnd}. */
    public int nestStart(int type) {
        pad();
        int at = buf.position();
        ensure(ATTR_HEADER);
        buf.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return at;
    }

    public NlWriter nestEnd(int at) {
        buf.putShort(at, (short) (buf.position() - at));
        return this;
    }

    public int size() {
        return buf.position();
    }

    public byte[] toByteArray() {
        if (messageStart >= 0) {
            throw new IllegalStateException("message at " + messageStart + " not ended");
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    public NlWriter reset() {
        buf.clear();
        messageStart = -1;
        return this;
    }

    private void pad() {
        int p = NlHeader.align(buf.position()) - buf.position();
        ensure(p);
        for (int i = 0; i < p; i++) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64)).order(ByteOrder.nativeOrder());
            bigger.put(buf.array(), 0, buf.position());
            buf = bigger;
        }
    }
}
