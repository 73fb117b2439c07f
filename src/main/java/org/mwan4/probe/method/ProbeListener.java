package org.mwan4.probe.method;

/** Hears how one probe ended: exactly once, on the probe loop, never from inside {@link Prober#send}. */
public interface ProbeListener {

    /** The target answered after {@code rttNanos}. */
    void answered(long rttNanos);

    /** The probe could not be sent or the network said no (e.g. host unreachable); counts as lost. */
    void failed(String reason);
}
