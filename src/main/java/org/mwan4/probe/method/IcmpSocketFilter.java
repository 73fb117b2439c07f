package org.mwan4.probe.method;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kernel-side type filters for a raw ICMP socket: a raw socket receives a copy of every ICMP message that
 * arrives for it (unreachables, redirects, other programs' traffic); these keep all but echo replies out
 * before they cost a system call.
 */
public final class IcmpSocketFilter {
    private IcmpSocketFilter() {}

    /**
     * ICMP_FILTER (linux/icmp.h, level SOL_RAW): a 32-bit mask of IPv4 ICMP types to block;
     * everything but echo reply is blocked.
     */
    public static byte[] echoReplyOnlyV4() {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(~(1 << IcmpEcho.ECHO_REPLY_V4)).array();
    }

    /**
     * ICMPV6_FILTER (linux/icmpv6.h, struct icmp6_filter: 256 bits, a set bit blocks that type);
     * everything but echo reply (129) is blocked.
     */
    public static byte[] echoReplyOnlyV6() {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        for (int word = 0; word < 8; word++) {
            int mask = -1;
            if (word == IcmpEcho.ECHO_REPLY_V6 >> 5) {
                mask &= ~(1 << (IcmpEcho.ECHO_REPLY_V6 & 31));
            }
            b.putInt(mask);
        }
        return b.array();
    }
}
