package org.mwan4.probe.method;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/** Reads the status code from the start of an HTTP/1.x response ({@code HTTP/1.1 200 OK\r\n}). Pure. */
public final class HttpStatusLine {
    /** Give up when no line ended within this many bytes. */
    public static final int MAX_LINE = 1024;

    private HttpStatusLine() {}

    /** The status code once the first line is complete; empty while it is incomplete or when it is not HTTP. */
    public static OptionalInt parse(byte[] b, int len) {
        int end = -1;
        for (int i = 0; i + 1 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return OptionalInt.empty();
        }
        String line = new String(b, 0, end, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            return OptionalInt.empty();
        }
        try {
            int code = Integer.parseInt(parts[1]);
            return code >= 100 && code <= 599 ? OptionalInt.of(code) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** True when {@code len} bytes hold a complete first line (whether or not it is HTTP). */
    public static boolean lineComplete(byte[] b, int len) {
        for (int i = 0; i + 1 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return true;
            }
        }
        return false;
    }
}
