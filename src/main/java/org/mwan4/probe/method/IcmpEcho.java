package org.mwan4.probe.method;

import static org.mwan4.probe.method.BigEndian.getLong;
import static org.mwan4.probe.method.BigEndian.getShort;
import static org.mwan4.probe.method.BigEndian.putLong;
import static org.mwan4.probe.method.BigEndian.putShort;
import static org.mwan4.probe.method.BigEndian.slice;

import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * ICMP / ICMPv6 echo messages as bytes (pure functions). A request carries, after the 8-byte ICMP header,
 * an 8-byte cookie (random per prober) and zero padding up to {@code size} payload bytes, like {@code ping -s}.
 * Replies are matched on identifier, sequence, source address and cookie, so neither another tracker's
 * replies nor another program's pings can be taken for ours.
 */
public final class IcmpEcho {
    public static final int ECHO_REPLY_V4 = 0;      // ICMP_ECHOREPLY, linux/icmp.h
    public static final int ECHO_REQUEST_V4 = 8;    // ICMP_ECHO, linux/icmp.h
    public static final int ECHO_REQUEST_V6 = 128;  // ICMPV6_ECHO_REQUEST, linux/icmpv6.h
    public static final int ECHO_REPLY_V6 = 129;    // ICMPV6_ECHO_REPLY, linux/icmpv6.h
    public static final int HEADER = 8;
    public static final int COOKIE = 8;
    public static final int MAX_SIZE = 65_000;

    private IcmpEcho() {}

    /** An echo reply we may own: who sent it, and the fields we match on (cookie 0 when the payload is shorter). */
    public record Reply(IpAddress source, int id, int seq, long cookie) {}

    /** A received echo request (for responders): who asked, whom, and the ICMP message itself. */
    public record Request(IpAddress source, IpAddress destination, int id, int seq, byte[] icmp) {}

    /**
     * An echo request. IPv4 carries its checksum; IPv6 leaves it 0 because the kernel always fills in
     * the ICMPv6 checksum on raw ICMPv6 sockets (RFC 3542 section 3.1), it needs the pseudo-header.
     */
    public static byte[] request(Family family, int id, int seq, long cookie, int size) {
        int payload = Math.clamp(size, 0, MAX_SIZE);
        byte[] b = new byte[HEADER + payload];
        b[0] = (byte) (family == Family.IPV4 ? ECHO_REQUEST_V4 : ECHO_REQUEST_V6);
        putShort(b, 4, id);
        putShort(b, 6, seq);
        if (payload >= COOKIE) {
            putLong(b, HEADER, cookie);
        }
        if (family == Family.IPV4) {
            putShort(b, 2, checksum(b, 0, b.length));
        }
        return b;
    }

    /**
     * Reads an echo reply from what a raw socket delivered: IPv4 packets start with the IP header
     * (raw(7)), ICMPv6 messages do not and their source comes from recvfrom ({@code v6Source}).
     * Anything else (other types, truncated, bad IPv4 checksum) is empty.
     */
    public static Optional<Reply> parseReply(Family family, byte[] buf, int len, IpAddress v6Source) {
        int off = 0;
        IpAddress source = v6Source;
        if (family == Family.IPV4) {
            if (len < 20 || (buf[0] >> 4 & 0xF) != 4 || buf[9] != 1) {
                return Optional.empty();
            }
            off = (buf[0] & 0xF) * 4;
            source = IpAddress.of(slice(buf, 12, 4));
            if (len - off < HEADER || checksum(buf, off, len - off) != 0) {
                return Optional.empty();
            }
        }
        if (source == null || len - off < HEADER) {
            return Optional.empty();
        }
        int type = buf[off] & 0xFF;
        if (type != (family == Family.IPV4 ? ECHO_REPLY_V4 : ECHO_REPLY_V6)) {
            return Optional.empty();
        }
        long cookie = len - off >= HEADER + COOKIE ? getLong(buf, off + HEADER) : 0L;
        return Optional.of(new Reply(source, getShort(buf, off + 4), getShort(buf, off + 6), cookie));
    }

    /** Reads an IPv4 packet holding an echo request (what a raw ICMP socket gives a responder). */
    public static Optional<Request> parseRequestV4(byte[] buf, int len) {
        if (len < 28 || (buf[0] >> 4 & 0xF) != 4 || buf[9] != 1) {
            return Optional.empty();
        }
        int off = (buf[0] & 0xF) * 4;
        if (len - off < HEADER || (buf[off] & 0xFF) != ECHO_REQUEST_V4) {
            return Optional.empty();
        }
        return Optional.of(new Request(IpAddress.of(slice(buf, 12, 4)), IpAddress.of(slice(buf, 16, 4)),
                getShort(buf, off + 4), getShort(buf, off + 6), slice(buf, off, len - off)));
    }

    /** The reply to an echo request message: same identifier, sequence and payload (checksummed for IPv4). */
    public static byte[] replyTo(Family family, byte[] requestIcmp) {
        byte[] b = requestIcmp.clone();
        b[0] = (byte) (family == Family.IPV4 ? ECHO_REPLY_V4 : ECHO_REPLY_V6);
        b[1] = 0;
        putShort(b, 2, 0);
        if (family == Family.IPV4) {
            putShort(b, 2, checksum(b, 0, b.length));
        }
        return b;
    }

    /** The Internet checksum (RFC 1071): one's complement of the one's complement sum of 16-bit words. */
    public static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        for (; i + 1 < off + len; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < off + len) {
            sum += (b[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
