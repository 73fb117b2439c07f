package org.mwan4.kernel.netlink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mwan4.config.IpAddress;

/**
 * A cursor over TLV attributes ({@code struct nlattr}, linux/netlink.h) inside a byte region.
 * {@link #next()} stops at the end or at a malformed attribute (length below 4 or past the end),
 * so bad input ends the walk instead of throwing; {@link #truncated()} tells which it was.
 *
 * <pre>{@code
 * for (NlAttrs a = new NlAttrs(buf, from, to); a.next(); ) {
 *     switch (a.type()) { case RTA_OIF -> oif = a.u32(); ... }
 * }
 * }</pre>
 */
public final class NlAttrs {
    /** NLA_TYPE_MASK: the type without NLA_F_NESTED / NLA_F_NET_BYTEORDER, linux/netlink.h. */
    private static final int TYPE_MASK = 0x3FFF;

    private final ByteBuffer buf;
    private final int end;
    private int pos;
    private int type;
    private int valueAt;
    private int valueLen;
    private boolean truncated;

    /** Attributes in {@code buf[from, to)}; {@code buf} must have native byte order. */
    public NlAttrs(ByteBuffer buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = Math.min(to, buf.limit());
    }

    public boolean next() {
        if (pos + NlWriter.ATTR_HEADER > end) {
            truncated = pos != end && pos < end;
            return false;
        }
        int len = Short.toUnsignedInt(buf.getShort(pos));
        if (len < NlWriter.ATTR_HEADER || pos + len > end) {
            truncated = true;
            return false;
        }
        type = Short.toUnsignedInt(buf.getShort(pos + 2)) & TYPE_MASK;
        valueAt = pos + NlWriter.ATTR_HEADER;
        valueLen = len - NlWriter.ATTR_HEADER;
        pos += NlHeader.align(len);
        return true;
    }

    /** True when the walk ended at bytes that are not a whole attribute. */
    public boolean truncated() {
        return truncated;
    }

    public int type() {
        return type;
    }

    public int length() {
        return valueLen;
    }

    public int u8() {
        return valueLen >= 1 ? Byte.toUnsignedInt(buf.get(valueAt)) : 0;
    }

    public int u16() {
        return valueLen >= 2 ? Short.toUnsignedInt(buf.getShort(valueAt)) : 0;
    }

    public int u32() {
        return valueLen >= 4 ? buf.getInt(valueAt) : 0;
    }

    public int be16() {
        return valueLen >= 2 ? (Byte.toUnsignedInt(buf.get(valueAt)) << 8) | Byte.toUnsignedInt(buf.get(valueAt + 1)) : 0;
    }

    public int be32() {
        if (valueLen < 4) {
            return 0;
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | Byte.toUnsignedInt(buf.get(valueAt + i));
        }
        return v;
    }

    public long be64() {
        if (valueLen < 8) {
            return 0;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | Byte.toUnsignedInt(buf.get(valueAt + i));
        }
        return v;
    }

    /** The value up to its first NUL (or its end). */
    public String string() {
        int n = 0;
        while (n < valueLen && buf.get(valueAt + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        buf.get(valueAt, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address, or null for any other length. */
    public IpAddress address() {
        if (valueLen != 4 && valueLen != 16) {
            return null;
        }
        return IpAddress.of(bytes());
    }

    public byte[] bytes() {
        byte[] b = new byte[valueLen];
        buf.get(valueAt, b);
        return b;
    }

    /** A cursor over the attributes nested in this one. */
    public NlAttrs nested() {
        return new NlAttrs(buf, valueAt, valueAt + valueLen);
    }

    @Override
    public String toString() {
        return "attr type " + type + " len " + valueLen + " " + Arrays.toString(bytes());
    }
}
