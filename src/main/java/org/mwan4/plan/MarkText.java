package org.mwan4.plan;

import static org.mwan4.plan.NftText.hex32;

import org.mwan4.config.Marks;

/**
 * Mark matches and mark statements over {@code mmx_mask}, in the exact form nft 1.0.6 prints them.
 * Only the mask's bits are ours; every statement keeps the other bits of the packet and conntrack marks.
 *
 * <p>nft stores {@code x & a | v} as mask/xor and prints the mask as {@code a | v}, dropping the
 * {@code &} altogether when that is all ones: {@code meta mark set meta mark & 0xffffc0ff | 0x100}
 * lists as {@code meta mark set meta mark & 0xffffc1ff | 0x00000100}, and with v = 0x3f00 as
 * {@code meta mark set meta mark | 0x00003f00}.
 *
 * <p>nft 1.0.6 cannot combine two registers ({@code meta mark | ct mark & m} is rejected: "Right hand side
 * of binary operation (|) must be constant"), so restoring and saving a masked mark is one rule per mark
 * we hand out ({@link #restore}, {@link #save}).
 *
 * <p>Remembers the statements it built (one instance per config and plan context; not for sharing between threads).
 */
public final class MarkText {
    private final Marks marks;
    private final String maskHex;
    private final String unmarked;
    // a config hands out a few dozen marks at most; their statements are built once per config
    private final java.util.TreeMap<Integer, String> sets = new java.util.TreeMap<>();
    private final java.util.TreeMap<Integer, String> tests = new java.util.TreeMap<>();

    public MarkText(Marks marks) {
        this.marks = marks;
        this.maskHex = hex32(marks.mask());
        this.unmarked = is(0);
    }

    public Marks marks() {
        return marks;
    }

    public int mask() {
        return marks.mask();
    }

    /** {@code meta mark & 0x00003f00 == 0x00000000}: mwan4 has not decided yet. */
    public String unmarked() {
        return unmarked;
    }

    /** {@code meta mark & 0x00003f00 == 0x00000100}. */
    public String is(int mark) {
        return tests.computeIfAbsent(mark, k -> "meta mark & " + maskHex + " == " + hex32(k));
    }

    /** {@code meta mark & 0x00003f00 != 0x00003f00}. */
    public String isNot(int mark) {
        return "meta mark & " + maskHex + " != " + hex32(mark);
    }

    /** Replace our bits of the packet mark with {@code mark}. */
    public String set(int mark) {
        return sets.computeIfAbsent(mark, k -> "meta mark set " + orInto("meta mark", k));
    }

    /** For an unmarked packet whose connection carries {@code mark}: {@code ct mark & M == v meta mark set meta mark | v}. */
    public String restore(int mark) {
        return "ct mark & " + maskHex + " == " + hex32(mark) + " meta mark set meta mark | " + hex32(mark);
    }

    /** For a packet marked {@code mark}: copy our bits into the connection mark when they differ. */
    public String save(int mark) {
        return "ct mark & " + maskHex + " != " + hex32(mark) + " ct mark set " + orInto("ct mark", mark);
    }

    /** {@code ip saddr . meta mark & M | v}: the sticky-set key of an unmarked packet's source with mark v. */
    public String withMark(String addrExpr, int mark) {
        return addrExpr + " . meta mark & " + maskHex + " | " + hex32(mark);
    }

    /** {@code ip saddr . meta mark & M}: the sticky-set key of a marked packet. */
    public String ownBits(String addrExpr) {
        return addrExpr + " . meta mark & " + maskHex;
    }

    private String orInto(String what, int mark) {
        int keep = ~mask() | mark;
        return keep == -1 ? what + " | " + hex32(mark) : what + " & " + hex32(keep) + " | " + hex32(mark);
    }
}
