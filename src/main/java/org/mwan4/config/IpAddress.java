package org.mwan4.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address as a plain value (no DNS, no {@link InetAddress} identity).
 * IPv4 lives in the low 32 bits of {@code lo}; IPv6 is {@code hi:lo}, 128 bits big-endian.
 * {@link #toString()} is the canonical text nft and iproute2 print (RFC 5952 for IPv6).
 */
public record IpAddress(Family family, long hi, long lo) implements Comparable<IpAddress> {

    public IpAddress {
        if (family == Family.IPV4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address out of range");
        }
    }

    /** Parses a literal ({@code 192.0.2.1}, {@code 2001:db8::1}); never resolves names. */
    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        boolean looksV4 = text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean looksV6 = text.indexOf(':') >= 0
                && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!looksV4 && !looksV6) {
            return Optional.empty();
        }
        if (looksV4 && text.split("\\.", -1).length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(InetAddress.ofLiteral(text).getAddress()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static IpAddress of(byte[] bytes) {
        if (bytes.length == 4) {
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xFF);
            }
            return new IpAddress(Family.IPV4, 0, v);
        }
        if (bytes.length == 16) {
            long h = 0, l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (bytes[i] & 0xFF);
                l = (l << 8) | (bytes[i + 8] & 0xFF);
            }
            return new IpAddress(Family.IPV6, h, l);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length);
    }

    public static IpAddress v4(int a, int b, int c, int d) {
        return of(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    public byte[] bytes() {
        if (family == Family.IPV4) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    public int bits() {
        return family == Family.IPV4 ? 32 : 128;
    }

    /** Keeps the first {@code prefix} bits, zeroes the rest. */
    public IpAddress masked(int prefix) {
        if (family == Family.IPV4) {
            long m = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            return new IpAddress(family, 0, lo & m);
        }
        long mh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long ml = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new IpAddress(family, hi & mh, lo & ml);
    }

    public boolean isLinkLocal() {
        return family == Family.IPV6 ? (hi >>> 54) == (0xfe80L >>> 6) : (lo >>> 16) == 0xA9FEL;
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        if (family == Family.IPV4) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
            g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        }
        // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        // IPv4-mapped ::ffff:a.b.c.d as nft prints it
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return "::ffff:" + ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Only for tests and callers that already hold bytes; never triggers a lookup. */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(bytes());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
