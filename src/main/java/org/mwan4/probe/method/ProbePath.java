package org.mwan4.probe.method;

import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * How the probes of one tracker leave the router: through {@code device}, from {@code source}
 * (null: whatever address the kernel picks on that device), with SO_MARK {@code mark}.
 *
 * @param iface  the mwan4 interface, for messages
 * @param family the tracker's family; targets of the other family are refused
 */
public record ProbePath(String iface, Family family, String device, IpAddress source, int mark) {

    /** {@code wan/ipv4 via eth1} for log lines and failure reasons. */
    public String describe() {
        return iface + "/" + family.id() + " via " + device + (source == null ? "" : " from " + source);
    }
}
