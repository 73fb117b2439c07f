package org.mwan4.plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.PortRange;

/**
 * A match value list ({@code ip saddr { ... }}, {@code tcp dport { ... }}) as nft 1.0.6 lists it back:
 * <ul>
 *   <li>one value: no braces ({@code ip saddr 192.0.2.0/24}; host bits cleared);</li>
 *   <li>only single values: a plain anonymous set, sorted, nothing merged ({@code { 80, 443 }});</li>
 *   <li>any prefix or range among them: an interval set, where nft merges overlapping and touching
 *       intervals and prints each as an address, a prefix when it is exactly one, else {@code a-b}
 *       ({@code { 192.0.2.0/25, 192.0.2.128/25 }} lists as {@code { 192.0.2.0/24 }}).</li>
 * </ul>
 */
final class SetLiteral {
    private SetLiteral() {}

    private record Interval(BigInteger low, BigInteger high) {}

    static String addresses(List<Cidr> list) {
        if (list.size() == 1) {
            return list.getFirst().network().toString();
        }
        Family f = list.getFirst().family();
        boolean interval = list.stream().anyMatch(c -> c.prefix() < c.address().bits());
        if (!interval) {
            TreeSet<IpAddress> sorted = new TreeSet<>();
            list.forEach(c -> sorted.add(c.address()));
            return braces(sorted.stream().map(IpAddress::toString).toList());
        }
        List<Interval> in = new ArrayList<>();
        for (Cidr c : list) {
            BigInteger low = value(c.network().address());
            BigInteger size = BigInteger.ONE.shiftLeft(c.address().bits() - c.prefix());
            in.add(new Interval(low, low.add(size).subtract(BigInteger.ONE)));
        }
        List<String> out = new ArrayList<>();
        for (Interval i : merge(in)) {
            out.add(addressInterval(f, i));
        }
        return braces(out);
    }

    static String ports(List<PortRange> list) {
        if (list.size() == 1) {
            return list.getFirst().toString();
        }
        boolean interval = list.stream().anyMatch(p -> p.from() != p.to());
        if (!interval) {
            TreeSet<Integer> sorted = new TreeSet<>();
            list.forEach(p -> sorted.add(p.from()));
            return braces(sorted.stream().map(String::valueOf).toList());
        }
        List<Interval> in = new ArrayList<>();
        list.forEach(p -> in.add(new Interval(BigInteger.valueOf(p.from()), BigInteger.valueOf(p.to()))));
        List<String> out = new ArrayList<>();
        for (Interval i : merge(in)) {
            out.add(i.low().equals(i.high()) ? i.low().toString() : i.low() + "-" + i.high());
        }
        return braces(out);
    }

    private static String braces(List<String> items) {
        return "{ " + String.join(", ", items) + " }";
    }

    private static List<Interval> merge(List<Interval> in) {
        List<Interval> sorted = new ArrayList<>(in);
        sorted.sort((a, b) -> a.low().compareTo(b.low()));
        List<Interval> out = new ArrayList<>();
        for (Interval i : sorted) {
            if (!out.isEmpty() && i.low().compareTo(out.getLast().high().add(BigInteger.ONE)) <= 0) {
                Interval last = out.removeLast();
                out.add(new Interval(last.low(), last.high().max(i.high())));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    private static String addressInterval(Family f, Interval i) {
        int bits = f == Family.IPV4 ? 32 : 128;
        if (i.low().equals(i.high())) {
            return address(f, i.low()).toString();
        }
        BigInteger size = i.high().subtract(i.low()).add(BigInteger.ONE);
        if (size.bitCount() == 1 && i.low().mod(size).signum() == 0) {
            return address(f, i.low()) + "/" + (bits - (size.bitLength() - 1));
        }
        return address(f, i.low()) + "-" + address(f, i.high());
    }

    private static BigInteger value(IpAddress a) {
        return new BigInteger(1, a.bytes());
    }

    private static IpAddress address(Family f, BigInteger v) {
        int len = f == Family.IPV4 ? 4 : 16;
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return IpAddress.of(out);
    }
}
