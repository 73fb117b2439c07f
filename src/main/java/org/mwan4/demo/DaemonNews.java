package org.mwan4.demo;

import java.time.Duration;
import java.time.Instant;
import org.mwan4.config.Family;
import org.mwan4.core.TrackerStatus;

/** What the demo hears from the daemon, stamped with the daemon's clock. */
public sealed interface DaemonNews {

    Instant at();

    /** One tracker changed its status ({@code wan1}/ipv4: online -> disabled). */
    record StatusChanged(Instant at, String iface, Family family, TrackerStatus from, TrackerStatus to) implements DaemonNews {
        /** Whether strategies stop using the interface with this change (online/disconnecting -> anything else). */
        public boolean leavesService() {
            return inService(from) && !inService(to);
        }

        /** Whether strategies start using it again. */
        public boolean entersService() {
            return !inService(from) && inService(to);
        }

        static boolean inService(TrackerStatus s) {
            return s == TrackerStatus.ONLINE || s == TrackerStatus.DISCONNECTING;
        }
    }

    /**
     * One kernel transaction (nft + rtnetlink ops) was committed, taking {@code took}.
     *
     * @param heardNanos {@link System#nanoTime()} when the demo heard of it (right after the commit), for benchmarks
     */
    record Applied(Instant at, Duration took, int ops, long heardNanos) implements DaemonNews {
        public Applied(Instant at, Duration took, int ops) {
            this(at, took, ops, System.nanoTime());
        }
    }

    /**
     * The rtnetlink monitor received a link notification (before the daemon's loop saw it).
     *
     * @param heardNanos {@link System#nanoTime()} on the monitor thread when it arrived
     */
    record LinkSeen(Instant at, String device, boolean carrier, long heardNanos) implements DaemonNews {}
}
