package org.mwan4.probe.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * Socket addresses as values, with their byte encodings (pure functions, round-trip tested).
 * Host-order fields use the machine's order; ports and protocols are big-endian, as the kernel wants.
 */
public sealed interface SockAddr {

    /** The kernel's bytes for this address (sockaddr_in: 16, sockaddr_in6: 28, sockaddr_ll: 20). */
    byte[] encode();

    /** sockaddr_in / sockaddr_in6 (linux/in.h, linux/in6.h). */
    record Inet(IpAddress address, int port, int scopeId) implements SockAddr {
        public Inet {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        public static Inet of(IpAddress address, int port) {
            return new Inet(address, port, 0);
        }

        @Override
        public byte[] encode() {
            boolean v4 = address.family() == Family.IPV4;
            ByteBuffer b = ByteBuffer.allocate(v4 ? 16 : 28).order(ByteOrder.nativeOrder());
            b.putShort((short) (v4 ? LinuxAbi.AF_INET : LinuxAbi.AF_INET6));
            b.order(ByteOrder.BIG_ENDIAN).putShort((short) port).order(ByteOrder.nativeOrder());
            if (v4) {
                b.put(address.bytes());
            } else {
                b.putInt(0); // sin6_flowinfo
                b.put(address.bytes());
                b.putInt(scopeId);
            }
            return b.array();
        }
    }

    /** sockaddr_ll (linux/if_packet.h): {@code protocol} is the ethertype, {@code hwAddress} the link address. */
    record Link(int protocol, int ifindex, int hatype, int pkttype, MacAddress hwAddress) implements SockAddr {
        /** Where to send a broadcast frame of {@code ethertype} on {@code ifindex}. */
        public static Link broadcast(int ethertype, int ifindex) {
            return new Link(ethertype, ifindex, 0, 0, MacAddress.BROADCAST);
        }

        @Override
        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
            b.putShort((short) LinuxAbi.AF_PACKET);
            b.order(ByteOrder.BIG_ENDIAN).putShort((short) protocol).order(ByteOrder.nativeOrder());
            b.putInt(ifindex);
            b.putShort((short) hatype);
            b.put((byte) pkttype);
            b.put((byte) (hwAddress == null ? 0 : 6));
            b.put(hwAddress == null ? new byte[6] : hwAddress.bytes());
            return b.array();
        }
    }

    /** Reads the address a recvfrom/getsockname wrote; empty for families this code does not speak. */
    static Optional<SockAddr> decode(byte[] bytes, int length) {
        if (length < 2) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.nativeOrder());
        int family = b.getShort() & 0xFFFF;
        if (family == LinuxAbi.AF_INET && length >= 16) {
            int port = b.order(ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
            byte[] a = new byte[4];
            b.get(a);
            return Optional.of(new Inet(IpAddress.of(a), port, 0));
        }
        if (family == LinuxAbi.AF_INET6 && length >= 28) {
            int port = b.order(ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
            b.order(ByteOrder.nativeOrder()).getInt();
            byte[] a = new byte[16];
            b.get(a);
            return Optional.of(new Inet(IpAddress.of(a), port, b.getInt()));
        }
        if (family == LinuxAbi.AF_PACKET && length >= 20) {
            int protocol = b.order(ByteOrder.BIG_ENDIAN).getShort() & 0xFFFF;
            b.order(ByteOrder.nativeOrder());
            int ifindex = b.getInt();
            int hatype = b.getShort() & 0xFFFF;
            int pkttype = b.get() & 0xFF;
            int halen = b.get() & 0xFF;
            byte[] hw = new byte[8];
            b.get(hw);
            MacAddress mac = halen == 6 ? MacAddress.of(hw, 0) : null;
            return Optional.of(new Link(protocol, ifindex, hatype, pkttype, mac));
        }
        return Optional.empty();
    }
}
