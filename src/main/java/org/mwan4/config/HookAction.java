package org.mwan4.config;

/** The hotplug actions mwan3 knows; the user hook gets them as ACTION, {@code flush_conntrack} lists them. */
public enum HookAction {
    IFUP("ifup"),
    IFDOWN("ifdown"),
    CONNECTED("connected"),
    DISCONNECTED("disconnected"),
    CONNECTING("connecting"),
    DISCONNECTING("disconnecting");

    private final String id;

    HookAction(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
