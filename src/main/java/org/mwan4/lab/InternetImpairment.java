package org.mwan4.lab;

import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.IpAddress;

/**
 * What the internet namespace currently does: extra reply delay per ISP and blackholed addresses.
 *
 * <p>Delay stands in for {@code tc netem}, which this kernel lacks: the kernel's own echo replies towards a
 * delayed ISP are dropped in the output hook (unless they carry {@link EchoResponder#MARK}) and
 * {@link EchoResponder} answers those echo requests from userspace after the delay. The lab's servers delay their
 * answers the same way. So delay applies to replies leaving the internet, per ISP, for ICMP echo and the lab's
 * servers only - not to arbitrary forwarded traffic, and not per direction.
 *
 * @param delays     ISP index -> extra delay (absent or zero: none)
 * @param blackholed addresses of the internet namespace that swallow everything sent to them
 */
public record InternetImpairment(SortedMap<Integer, Duration> delays, SortedSet<IpAddress> blackholed) {
    public static final InternetImpairment NONE = new InternetImpairment(new TreeMap<>(), new TreeSet<>());

    public InternetImpairment {
        TreeMap<Integer, Duration> d = new TreeMap<>();
        delays.forEach((k, v) -> {
            if (v.isNegative()) {
                throw new IllegalArgumentException("negative delay " + v + " for ISP " + k);
            }
            if (!v.isZero()) {
                d.put(k, v);
            }
        });
        delays = Collections.unmodifiableSortedMap(d);
        blackholed = Collections.unmodifiableSortedSet(new TreeSet<>(blackholed));
    }

    public InternetImpairment withDelay(int isp, Duration delay) {
        TreeMap<Integer, Duration> d = new TreeMap<>(delays);
        d.put(isp, delay);
        return new InternetImpairment(d, blackholed);
    }

    public InternetImpairment withBlackhole(IpAddress target, boolean on) {
        TreeSet<IpAddress> next = new TreeSet<>(blackholed);
        if (on) {
            next.add(target);
        } else {
            next.remove(target);
        }
        return new InternetImpairment(delays, next);
    }

    public Duration delay(int isp) {
        return delays.getOrDefault(isp, Duration.ZERO);
    }

    /** One nft transaction that replaces both chains of the internet's lab table. */
    public String render(Topology topology) {
        String t = LabScripts.LAB_TABLE;
        StringBuilder sb = new StringBuilder("flush chain " + t + " prerouting\nflush chain " + t + " output\n");
        for (IpAddress a : blackholed) {
            sb.append("add rule ").append(t).append(" prerouting ")
              .append(a.family().nftFamily()).append(" daddr ").append(a).append(" drop\n");
        }
        String mark = String.format("0x%x", EchoResponder.MARK);
        for (Integer k : delays.keySet()) {
            String dev = topology.isp(k).inetDevice();
            sb.append("add rule ").append(t).append(" output oifname \"").append(dev)
              .append("\" icmp type echo-reply meta mark != ").append(mark).append(" drop\n");
            sb.append("add rule ").append(t).append(" output oifname \"").append(dev)
              .append("\" icmpv6 type echo-reply meta mark != ").append(mark).append(" drop\n");
        }
        return sb.toString();
    }
}
