package org.mwan4.core;

import java.time.Duration;
import java.util.List;
import org.mwan4.config.Family;
import org.mwan4.config.HookAction;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Tracking;

/**
 * What the reducer asks the edges to do, as data. Each carries every datum its handler needs.
 * Kernel objects are not effects: the runtime plans and diffs the state after every step.
 */
public sealed interface Effect {

    /**
     * Start (or restart) probing one tracker: rounds every {@code interval}, the first after {@code firstDelay}.
     * Probes leave through {@code device}, from {@code source} (null: any address of the device), with SO_MARK {@code mark}.
     */
    record StartTracker(String iface, Family family, String device, IpAddress source, int mark, Tracking tracking,
                        Duration firstDelay, Duration interval) implements Effect {}

    /** Stop probing one tracker. */
    record StopTracker(String iface, Family family) implements Effect {}

    /** Rounds from the next boundary on happen every {@code interval} (failure/recovery/normal interval switch). */
    record RetimeTracker(String iface, Family family, Duration interval) implements Effect {}

    /** Run the user hook (/etc/mwan4.user) with ACTION, INTERFACE, DEVICE, FAMILY, FIRSTCONNECT, MWAN4_SHUTDOWN. */
    record RunHook(HookAction action, String iface, Family family, String device, boolean firstConnect, boolean shutdown) implements Effect {}

    /** Delete conntrack entries whose {@code ct mark & mask == mark} (of this family). */
    record FlushConntrack(String iface, Family family, int mark, int mask) implements Effect {}

    /** Rewrite /var/run/mwan4.json and publish the status stream. */
    record WriteStatus() implements Effect {}

    /** A line for the operator's log. */
    record LogLine(Level level, String message) implements Effect {}

    enum Level { DEBUG, INFO, WARN, ERROR }

    /** Convenience for building effect lists in the reducer. */
    static List<Effect> none() {
        return List.of();
    }
}
