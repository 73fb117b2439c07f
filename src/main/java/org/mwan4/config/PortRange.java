package org.mwan4.config;

/** One port or an inclusive range ({@code 443}, {@code 1000-2000}; mwan3 also wrote {@code 1000:2000}). */
public record PortRange(int from, int to) {
    public PortRange {
        if (from < 0 || to > 65535 || from > to) {
            throw new IllegalArgumentException("bad port range " + from + "-" + to);
        }
    }

    public static PortRange single(int p) {
        return new PortRange(p, p);
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
