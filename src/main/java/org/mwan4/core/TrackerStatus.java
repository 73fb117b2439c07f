package org.mwan4.core;

/** mwan3's interface statuses; UNKNOWN before the first verdict. */
public enum TrackerStatus {
    UNKNOWN, ONLINE, OFFLINE, CONNECTING, DISCONNECTING, DISABLED;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
