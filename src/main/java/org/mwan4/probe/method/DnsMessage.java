package org.mwan4.probe.method;

import static org.mwan4.probe.method.BigEndian.getShort;
import static org.mwan4.probe.method.BigEndian.putShort;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/** The few DNS messages (RFC 1035) the nslookup probe needs: a query, and the parts of a response it checks. Pure. */
public final class DnsMessage {
    public static final int TYPE_A = 1;
    public static final int TYPE_AAAA = 28;
    public static final int CLASS_IN = 1;
    public static final int RCODE_NOERROR = 0;
    public static final int RCODE_SERVFAIL = 2;
    public static final int RCODE_NXDOMAIN = 3;
    private static final int HEADER = 12;

    private DnsMessage() {}

    public record Question(String name, int type) {}

    /** A response's header and first question. */
    public record Response(int id, boolean isResponse, int rcode, Question question, int answers) {}

    /**
     * A recursive (RD) query for {@code name}. The name must be a DNS name (labels of 1..63 bytes, 255 in all);
     * a trailing dot is allowed.
     *
     * @throws IllegalArgumentException for a name that cannot be encoded, with the reason
     */
    public static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = new byte[HEADER];
        putShort(h, 0, id);
        putShort(h, 2, 0x0100); // RD
        putShort(h, 4, 1);      // QDCOUNT
        out.writeBytes(h);
        out.writeBytes(encodeName(name));
        byte[] tail = new byte[4];
        putShort(tail, 0, type);
        putShort(tail, 2, CLASS_IN);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    /** Empty when the bytes are not a DNS message with one readable question. */
    public static Optional<Response> parse(byte[] b, int len) {
        if (len < HEADER + 5 || getShort(b, 4) < 1) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        int p = HEADER;
        while (true) {
            if (p >= len) {
                return Optional.empty();
            }
            int l = b[p] & 0xFF;
            if (l == 0) {
                p++;
                break;
            }
            if (l > 63 || p + 1 + l > len) {
                return Optional.empty(); // compression is not used in the question of a response to us
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(b, p + 1, l, StandardCharsets.US_ASCII));
            p += 1 + l;
        }
        if (p + 4 > len) {
            return Optional.empty();
        }
        int flags = getShort(b, 2);
        return Optional.of(new Response(getShort(b, 0), (flags & 0x8000) != 0, flags & 0xF,
                new Question(name.toString(), getShort(b, p)), getShort(b, 6)));
    }

    /** An authoritative-looking answer to {@code query} with one A/AAAA record (for test servers). */
    public static byte[] answer(byte[] query, int len, IpAddress address, int ttlSeconds) {
        int qEnd = HEADER;
        while (query[qEnd] != 0) {
            qEnd += 1 + (query[qEnd] & 0xFF);
        }
        qEnd += 5;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = java.util.Arrays.copyOf(query, qEnd);
        putShort(head, 2, 0x8180); // QR, RD, RA, NOERROR
        putShort(head, 6, 1);
        putShort(head, 8, 0);
        putShort(head, 10, 0);
        out.writeBytes(head);
        byte[] rr = new byte[12];
        putShort(rr, 0, 0xC00C); // name: pointer to the question
        putShort(rr, 2, address.family() == Family.IPV4 ? TYPE_A : TYPE_AAAA);
        putShort(rr, 4, CLASS_IN);
        putShort(rr, 6, ttlSeconds >>> 16);
        putShort(rr, 8, ttlSeconds);
        putShort(rr, 10, address.bytes().length);
        out.writeBytes(rr);
        out.writeBytes(address.bytes());
        return out.toByteArray();
    }

    static byte[] encodeName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                if (l.length == 0 || l.length > 63 || !StandardCharsets.US_ASCII.newEncoder().canEncode(label)) {
                    throw new IllegalArgumentException("not a DNS name (label '" + label + "' must be 1-63 ASCII bytes): " + name);
                }
                out.write(l.length);
                out.writeBytes(l);
            }
        }
        out.write(0);
        if (out.size() > 255) {
            throw new IllegalArgumentException("DNS name longer than 255 bytes: " + name);
        }
        return out.toByteArray();
    }
}
