package org.mwan4.probe.net;

import java.util.HexFormat;

/** A 48-bit Ethernet address as a value (low 48 bits of {@code value}, first octet most significant). */
public record MacAddress(long value) {
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("MAC address has more than 48 bits: " + Long.toHexString(value));
        }
    }

    public static MacAddress of(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses {@code 02:00:5e:00:53:01}. */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long v = 0;
        for (String p : parts) {
            v = (v << 8) | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        byte[] b = bytes();
        return HexFormat.ofDelimiter(":").formatHex(b);
    }
}
