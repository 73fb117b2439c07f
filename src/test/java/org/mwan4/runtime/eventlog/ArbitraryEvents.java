package org.mwan4.runtime.eventlog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.RouteFact;

/** Arbitrary values of every event type, from a seeded Random: awkward strings, both families, nulls, nanoseconds. */
final class ArbitraryEvents {
    private final Random r;

    ArbitraryEvents(long seed) {
        this.r = new Random(seed);
    }

    /** An event of the permitted subclass at {@code index} of {@link Event}'s permits list. */
    Event of(int index) {
        Instant at = instant();
        return switch (EventDecoder.TYPES.get(index)) {
            case "ConfigLoaded" -> new Event.ConfigLoaded(at, string(), string(), r.nextBoolean() ? null : string(),
                    r.nextBoolean() ? null : string());
            case "LinkChanged" -> link(at);
            case "LinkRemoved" -> new Event.LinkRemoved(at, ifindex(), string());
            case "AddressAdded" -> new Event.AddressAdded(at, ifindex(), prefix());
            case "AddressRemoved" -> new Event.AddressRemoved(at, ifindex(), prefix());
            case "RouteAdded" -> new Event.RouteAdded(at, route());
            case "RouteRemoved" -> new Event.RouteRemoved(at, route());
            case "NetlinkResynced" -> {
                List<Event.LinkChanged> links = new ArrayList<>();
                List<Event.AddressAdded> addrs = new ArrayList<>();
                List<RouteFact> routes = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    links.add(link(instant()));
                    addrs.add(new Event.AddressAdded(instant(), ifindex(), prefix()));
                    routes.add(route());
                }
                yield new Event.NetlinkResynced(at, links, addrs, routes);
            }
            case "ProbeRoundFinished" -> {
                List<Event.TargetResult> results = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    results.add(new Event.TargetResult(address(), Event.TargetStatus.values()[r.nextInt(3)],
                            r.nextBoolean() ? null : millis(), r.nextInt(101), r.nextBoolean() ? null : millis()));
                }
                yield new Event.ProbeRoundFinished(at, string(), Family.values()[r.nextInt(2)], results);
            }
            case "OperatorCommanded" -> new Event.OperatorCommanded(at, Event.Command.values()[r.nextInt(3)], string());
            case "Ticked" -> new Event.Ticked(at);
            case "KernelApplyFailed" -> new Event.KernelApplyFailed(at, string());
            case "ChainsMissing" -> {
                List<String> missing = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    missing.add(string());
                }
                yield new Event.ChainsMissing(at, missing);
            }
            case "UseCgroupsPrepared" -> {
                List<String> ifaces = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    ifaces.add(string());
                }
                yield new Event.UseCgroupsPrepared(at, string(), string(), r.nextInt(65), ifaces, string());
            }
            case "ShutdownRequested" -> new Event.ShutdownRequested(at, r.nextBoolean());
            case "KernelStepApplied" -> new Event.KernelStepApplied(at, 1 + r.nextInt(1_000_000), r.nextBoolean() ? null : string());
            default -> throw new IllegalStateException("no generator for " + EventDecoder.TYPES.get(index));
        };
    }

    Event any() {
        return of(r.nextInt(EventDecoder.TYPES.size()));
    }

    private Event.LinkChanged link(Instant at) {
        return new Event.LinkChanged(at, ifindex(), string(), r.nextBoolean(), r.nextBoolean(),
                List.of("UP", "DOWN", "LOWERLAYERDOWN", "UNKNOWN", "DORMANT").get(r.nextInt(5)));
    }

    private RouteFact route() {
        Cidr dst = prefix();
        IpAddress gw = r.nextBoolean() ? null : address(dst.family());
        return new RouteFact(r.nextInt(300), dst.family(), dst, gw, r.nextInt(20), r.nextInt(2000),
                List.of("unicast", "local", "broadcast", "unreachable", "blackhole").get(r.nextInt(5)), r.nextInt(256),
                List.of(0, 253, 254).get(r.nextInt(3)), r.nextBoolean() ? null : prefix(dst.family()),
                r.nextBoolean() ? null : address(dst.family()));
    }

    Instant instant() {
        // whole seconds, milliseconds or nanoseconds, from 1970 to 2100
        long seconds = (long) (r.nextDouble() * 4_102_444_800L);
        int nanos = switch (r.nextInt(3)) {
            case 0 -> 0;
            case 1 -> r.nextInt(1000) * 1_000_000;
            default -> r.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private int ifindex() {
        return 1 + r.nextInt(r.nextBoolean() ? 10 : Integer.MAX_VALUE);
    }

    private double millis() {
        return switch (r.nextInt(3)) {
            case 0 -> r.nextInt(2000);
            case 1 -> r.nextDouble() * 5000;
            default -> Math.round(r.nextDouble() * 100000) / 1000.0;
        };
    }

    private IpAddress address() {
        return address(Family.values()[r.nextInt(2)]);
    }

    private IpAddress address(Family f) {
        byte[] b = new byte[f == Family.IPV4 ? 4 : 16];
        r.nextBytes(b);
        if (r.nextBoolean() && f == Family.IPV6) {
            for (int i = 4; i < 12; i++) {
                b[i] = 0; // runs of zeros exercise the :: form
            }
        }
        return IpAddress.of(b);
    }

    private Cidr prefix() {
        return prefix(Family.values()[r.nextInt(2)]);
    }

    private Cidr prefix(Family f) {
        IpAddress a = address(f);
        return new Cidr(a, r.nextInt(a.bits() + 1));
    }

    private static final String[] PIECES = {"wan", "eth0", " ", "\"", "\\", "\n", "\t", "\r", "é", "日本", "😀", "\u0000",
            "\u2028", "'", "{", "}", "config interface 'wan'\n\toption enabled '1'\n", "/etc/config/mwan4", ""};

    String string() {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(5); i > 0; i--) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }
}
