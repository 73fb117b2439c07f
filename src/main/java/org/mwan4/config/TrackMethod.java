package org.mwan4.config;

/** {@code option track_method}: how a tracker probes its targets. */
public enum TrackMethod {
    PING("ping"),
    ARPING("arping"),
    HTTPING("httping"),
    NPING_TCP("nping-tcp"),
    NPING_UDP("nping-udp"),
    NPING_ICMP("nping-icmp"),
    NPING_ARP("nping-arp"),
    NSLOOKUP("nslookup");

    private final String id;

    TrackMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
