package org.mwan4.config;

import java.util.Optional;

/**
 * A network prefix such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}. The address is kept as
 * given (so an interface address {@code 192.0.2.5/24} keeps its host part); {@link #network()} masks it.
 * {@link #toString()} prints a host prefix (/32, /128) without the length, as nft does.
 */
public record Cidr(IpAddress address, int prefix) implements Comparable<Cidr> {

    public Cidr {
        if (prefix < 0 || prefix > address.bits()) {
            throw new IllegalArgumentException("prefix length " + prefix + " out of range for " + address.family().id());
        }
    }

    /** {@code 192.0.2.0/24}, {@code 192.0.2.1} (a host), {@code 2001:db8::/32}. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        Optional<IpAddress> ip = IpAddress.parse(addr);
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        int len = ip.get().bits();
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            len = Integer.parseInt(p);
            if (len > ip.get().bits()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Cidr(ip.get(), len));
    }

    public static Cidr host(IpAddress a) {
        return new Cidr(a, a.bits());
    }

    public Family family() {
        return address.family();
    }

    /** The prefix with host bits cleared: {@code 192.0.2.5/24 -> 192.0.2.0/24}. */
    public Cidr network() {
        return new Cidr(address.masked(prefix), prefix);
    }

    public boolean isDefault() {
        return prefix == 0;
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && a.masked(prefix).equals(address.masked(prefix));
    }

    @Override
    public int compareTo(Cidr o) {
        int c = address.compareTo(o.address);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }

    @Override
    public String toString() {
        return prefix == address.bits() ? address.toString() : address + "/" + prefix;
    }
}
