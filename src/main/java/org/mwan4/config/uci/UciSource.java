package org.mwan4.config.uci;

import java.util.Arrays;
import org.mwan4.config.Position;

/** The text of one file with its line starts, to turn offsets into file:line:column. */
final class UciSource {
    private final String path;
    private final int[] lineStarts;

    UciSource(String path, String text) {
        this.path = path;
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        lineStarts = new int[count];
        int n = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineStarts[n++] = i + 1;
            }
        }
    }

    /** 1-based line and column of a text offset. */
    Position position(int offset) {
        int line = lineOf(offset);
        return new Position(path, line, offset - lineStarts[line - 1] + 1);
    }

    int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** A value for a message: control characters as {@code \x0a}, long values cut. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            if (c < 32 || c == 127) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return s.length() > 60 ? sb + "..." : sb.toString();
    }
}
