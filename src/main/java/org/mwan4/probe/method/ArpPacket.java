package org.mwan4.probe.method;

import static org.mwan4.probe.method.BigEndian.getShort;
import static org.mwan4.probe.method.BigEndian.putShort;
import static org.mwan4.probe.method.BigEndian.slice;

import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.probe.net.LinuxAbi;
import org.mwan4.probe.net.MacAddress;

/** Ethernet/IPv4 ARP messages (RFC 826, linux/if_arp.h) without the link header, as SOCK_DGRAM packet sockets carry them. Pure. */
public final class ArpPacket {
    public static final int REQUEST = 1; // ARPOP_REQUEST
    public static final int REPLY = 2;   // ARPOP_REPLY
    public static final int BYTES = 28;

    private ArpPacket() {}

    /** One ARP message: who asks (sender) about whom (target). */
    public record Message(int op, MacAddress senderMac, IpAddress senderIp, MacAddress targetMac, IpAddress targetIp) {
        public Message {
            if (senderIp.family() != Family.IPV4 || targetIp.family() != Family.IPV4) {
                throw new IllegalArgumentException("ARP speaks IPv4 only: " + senderIp + " / " + targetIp);
            }
        }
    }

    /** "Who has {@code target}? Tell {@code source}" as {@code arping} sends it. */
    public static Message request(MacAddress mac, IpAddress source, IpAddress target) {
        return new Message(REQUEST, mac, source, MacAddress.ZERO, target);
    }

    public static byte[] encode(Message m) {
        byte[] b = new byte[BYTES];
        putShort(b, 0, LinuxAbi.ARPHRD_ETHER);
        putShort(b, 2, LinuxAbi.ETH_P_IP);
        b[4] = 6;
        b[5] = 4;
        putShort(b, 6, m.op());
        System.arraycopy(m.senderMac().bytes(), 0, b, 8, 6);
        System.arraycopy(m.senderIp().bytes(), 0, b, 14, 4);
        System.arraycopy(m.targetMac().bytes(), 0, b, 18, 6);
        System.arraycopy(m.targetIp().bytes(), 0, b, 24, 4);
        return b;
    }

    /** Empty for anything that is not Ethernet/IPv4 ARP. */
    public static Optional<Message> decode(byte[] b, int len) {
        if (len < BYTES || getShort(b, 0) != LinuxAbi.ARPHRD_ETHER || getShort(b, 2) != LinuxAbi.ETH_P_IP || b[4] != 6 || b[5] != 4) {
            return Optional.empty();
        }
        return Optional.of(new Message(getShort(b, 6), MacAddress.of(b, 8), IpAddress.of(slice(b, 14, 4)),
                MacAddress.of(b, 18), IpAddress.of(slice(b, 24, 4))));
    }
}
