package org.mwan4.lab;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.mwan4.config.Family;

/**
 * An ICMP / ICMPv6 echo request or reply as bytes (RFC 792, RFC 4443 section 4). Pure encode/decode.
 *
 * <pre>
 *  0      1      2             4             6             8
 *  | type | code | checksum    | identifier  | sequence    | payload...
 * </pre>
 * ICMPv4 carries its own checksum; for ICMPv6 the kernel fills it in on raw sockets (RFC 3542 section 3.1),
 * because it covers a pseudo header with addresses only the kernel knows for sure, so we send zero there.
 *
 * @param family  which ICMP
 * @param request echo request (8 / 128) or echo reply (0 / 129)
 */
public record IcmpEcho(Family family, boolean request, int id, int seq, byte[] payload) {
    static final int ECHO_REPLY_V4 = 0;    // linux/icmp.h ICMP_ECHOREPLY
    static final int ECHO_REQUEST_V4 = 8;  // linux/icmp.h ICMP_ECHO
    static final int ECHO_REQUEST_V6 = 128; // linux/icmpv6.h ICMPV6_ECHO_REQUEST
    static final int ECHO_REPLY_V6 = 129;   // linux/icmpv6.h ICMPV6_ECHO_REPLY
    static final int HEADER = 8;

    public IcmpEcho {
        if (id < 0 || id > 0xFFFF || seq < 0 || seq > 0xFFFF) {
            throw new IllegalArgumentException("echo id/seq must be 0..65535, got " + id + "/" + seq);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The reply a host sends back: same id, sequence and payload. */
    public IcmpEcho reply() {
        return new IcmpEcho(family, false, id, seq, payload);
    }

    public byte[] encode() {
        byte[] b = new byte[HEADER + payload.length];
        b[0] = (byte) type();
        b[4] = (byte) (id >>> 8);
        b[5] = (byte) id;
        b[6] = (byte) (seq >>> 8);
        b[7] = (byte) seq;
        System.arraycopy(payload, 0, b, HEADER, payload.length);
        if (family == Family.IPV4) {
            int sum = checksum(b, 0, b.length);
            b[2] = (byte) (sum >>> 8);
            b[3] = (byte) sum;
        }
        return b;
    }

    private int type() {
        return family == Family.IPV4 ? (request ? ECHO_REQUEST_V4 : ECHO_REPLY_V4) : (request ? ECHO_REQUEST_V6 : ECHO_REPLY_V6);
    }

    /**
     * Decodes an ICMP message (no IP header). Empty when it is not an echo request/reply, too short, or (IPv4)
     * its checksum is wrong.
     */
    public static Optional<IcmpEcho> decode(Family family, byte[] b, int off, int len) {
        if (len < HEADER || off < 0 || off + len > b.length || b[off + 1] != 0) {
            return Optional.empty();
        }
        int type = b[off] & 0xFF;
        boolean request;
        if (family == Family.IPV4) {
            if (checksum(b, off, len) != 0) {
                return Optional.empty();
            }
            if (type != ECHO_REQUEST_V4 && type != ECHO_REPLY_V4) {
                return Optional.empty();
            }
            request = type == ECHO_REQUEST_V4;
        } else {
            if (type != ECHO_REQUEST_V6 && type != ECHO_REPLY_V6) {
                return Optional.empty();
            }
            request = type == ECHO_REQUEST_V6;
        }
        int id = ((b[off + 4] & 0xFF) << 8) | (b[off + 5] & 0xFF);
        int seq = ((b[off + 6] & 0xFF) << 8) | (b[off + 7] & 0xFF);
        return Optional.of(new IcmpEcho(family, request, id, seq, Arrays.copyOfRange(b, off + HEADER, off + len)));
    }

    /**
     * Decodes what an IPv4 raw socket receives: the IPv4 header (its length from IHL, RFC 791) then ICMP.
     * IPv6 raw sockets deliver ICMPv6 without the header, so they use {@link #decode} directly.
     */
    public static Optional<IcmpEcho> decodeIpv4Packet(byte[] b, int len) {
        if (len < 20 || (b[0] & 0xF0) != 0x40) {
            return Optional.empty();
        }
        int ihl = (b[0] & 0x0F) * 4;
        if (ihl < 20 || ihl > len) {
            return Optional.empty();
        }
        return decode(Family.IPV4, b, ihl, len - ihl);
    }

    /** RFC 1071 internet checksum; over a message that contains its own correct checksum it is 0. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IcmpEcho e && e.family == family && e.request == request && e.id == id && e.seq == seq
                && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((family.hashCode() * 31 + Boolean.hashCode(request)) * 31 + id) * 31 + seq + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return family.id() + (request ? " echo-request" : " echo-reply") + " id=" + id + " seq=" + seq
                + " payload=" + HexFormat.of().formatHex(payload);
    }
}
