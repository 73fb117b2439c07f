package org.mwan4.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.RouteFact;

/** Events of the two-WAN test config ({@code two-wans.mwan4}: devices wan1, wan2, one target each). */
final class TestEvents {
    static final String CONFIG_PATH = "/etc/config/mwan4";
    static final IpAddress TARGET = IpAddress.parse("203.0.113.200").orElseThrow();

    private TestEvents() {}

    static String configText() {
        return resource("two-wans.mwan4");
    }

    static String resource(String name) {
        try (InputStream in = TestEvents.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Event.ConfigLoaded config(Instant at, String text) {
        return new Event.ConfigLoaded(at, CONFIG_PATH, text, null, null);
    }

    static Event.ConfigLoaded config(Instant at) {
        return config(at, configText());
    }

    static Event.LinkChanged link(Instant at, int k, boolean up) {
        return new Event.LinkChanged(at, 10 + k, "wan" + k, true, up, up ? "UP" : "LOWERLAYERDOWN");
    }

    /** Both WAN links up with an address and a default route each. */
    static Event.NetlinkResynced resync(Instant at) {
        List<Event.LinkChanged> links = List.of(link(at, 1, true), link(at, 2, true));
        List<Event.AddressAdded> addrs = new ArrayList<>();
        List<RouteFact> routes = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            addrs.add(new Event.AddressAdded(at, 10 + k, Cidr.parse("198.51.100." + (8 * k + 2) + "/29").orElseThrow()));
            routes.add(new RouteFact(RouteFact.TABLE_MAIN, Family.IPV4, Cidr.parse("0.0.0.0/0").orElseThrow(),
                    IpAddress.parse("198.51.100." + (8 * k + 1)).orElseThrow(), 10 + k, 10 * k, "unicast", 4, 0, null, null));
        }
        return new Event.NetlinkResynced(at, links, addrs, routes);
    }

    static Event.ProbeRoundFinished round(Instant at, int k, boolean up) {
        return new Event.ProbeRoundFinished(at, "wan" + k, Family.IPV4, List.of(new Event.TargetResult(TARGET,
                up ? Event.TargetStatus.UP : Event.TargetStatus.DOWN, up ? 1.5 : null, up ? 0 : 100, null)));
    }

    static Event.OperatorCommanded command(Instant at, Event.Command c, String iface) {
        return new Event.OperatorCommanded(at, c, iface);
    }

    /** An in-memory event log that also lets a test see what was logged when. */
    static final class MemoryJournal implements EventJournal {
        final List<LoggedEvent> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void append(LoggedEvent event) {
            lines.add(event);
        }

        @Override
        public long bytesWritten() {
            return lines.size();
        }

        @Override
        public void close() {}

        long lastSeq() {
            return lines.isEmpty() ? 0 : lines.getLast().seq();
        }
    }
}
