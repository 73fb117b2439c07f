package org.mwan4.probe.method;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mwan4.config.Family;

/**
 * Kernel-side filters for a raw ICMP socket, so a socket only wakes the loop for its own replies.
 * Every raw ICMP socket bound to a device receives a copy of every ICMP packet arriving there; with many
 * trackers on one WAN, filtering in the kernel keeps that copy from costing a system call each
 * (iputils ping installs the same kind of filter).
 */
public final class IcmpSocketFilter {
    // linux/bpf_common.h
    private static final int BPF_LD = 0x00;
    private static final int BPF_LDX = 0x01;
    private static final int BPF_JMP = 0x05;
    private static final int BPF_RET = 0x06;
    private static final int BPF_H = 0x08;
    private static final int BPF_B = 0x10;
    private static final int BPF_ABS = 0x20;
    private static final int BPF_IND = 0x40;
    private static final int BPF_MSH = 0xa0;
    private static final int BPF_JEQ = 0x10;
    private static final int BPF_K = 0x00;
    /** sizeof(struct sock_filter), linux/filter.h. */
    public static final int INSTRUCTION_BYTES = 8;

    private IcmpSocketFilter() {}

    /**
     * A classic BPF program (array of struct sock_filter, host order) that keeps only ICMP messages whose
     * identifier field is {@code id}. IPv4 raw sockets see the IP header first, so the program skips it
     * ({@code ldxb 4*([0]&0xf)}); ICMPv6 raw sockets see the ICMPv6 header at offset 0.
     * <pre>
     * IPv4: ldxb 4*([0]&amp;0xf); ldh [x+4]; jeq #id, keep, drop      IPv6: ldh [4]; jeq #id, keep, drop
     * </pre>
     */
    public static byte[] identifierProgram(Family family, int id) {
        ByteBuffer b = ByteBuffer.allocate((family == Family.IPV4 ? 5 : 4) * INSTRUCTION_BYTES).order(ByteOrder.nativeOrder());
        if (family == Family.IPV4) {
            insn(b, BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0);
            insn(b, BPF_LD | BPF_H | BPF_IND, 0, 0, 4);
        } else {
            insn(b, BPF_LD | BPF_H | BPF_ABS, 0, 0, 4);
        }
        insn(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, id & 0xFFFF);
        insn(b, BPF_RET | BPF_K, 0, 0, -1); // keep the whole packet
        insn(b, BPF_RET | BPF_K, 0, 0, 0);  // drop
        return b.array();
    }

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

    private static void insn(ByteBuffer b, int code, int jt, int jf, int k) {
        b.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }
}
