package org.mwan4.core;

/**
 * Whether a tracker probes (mwan3-reference "The tracker"): {@code active} probing, {@code paused} (link down or
 * no device), {@code disabled} (no track_ip of that family: online while the link is up, never probed),
 * {@code down} (not running: operator ifdown, shutdown, or not started yet).
 */
public enum TrackingState {
    ACTIVE, PAUSED, DISABLED, DOWN;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
