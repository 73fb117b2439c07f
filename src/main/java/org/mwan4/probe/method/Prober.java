package org.mwan4.probe.method;

import org.mwan4.config.IpAddress;
import org.mwan4.probe.net.Scheduler.Cancellable;

/**
 * Sends probes of one tracker with one method. A prober never times probes out itself: the tracker
 * decides how long it waits and cancels what is still outstanding (a cancelled probe's listener is
 * never called, and per-probe sockets are closed). Used only on the probe loop's thread.
 */
public interface Prober extends AutoCloseable {

    /** Starts one probe of {@code target}; the listener hears later, at most once. */
    Cancellable send(IpAddress target, ProbeListener listener);

    /** Cancels everything outstanding and closes the sockets. */
    @Override
    void close();
}
