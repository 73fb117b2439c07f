package org.mwan4.config;

/** Where a value came from: {@code file:line:column}, 1-based. Messages print {@code file:line}. */
public record Position(String file, int line, int column) {
    public static final Position NONE = new Position("<none>", 0, 0);

    public String fileLine() {
        return file + ":" + line;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
