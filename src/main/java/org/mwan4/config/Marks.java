package org.mwan4.config;

/**
 * Mark math over {@code mmx_mask} (mwan3-reference "Marks, tables, ip rules").
 * With b set bits in the mask: default = 2^b-1, unreachable = 2^b-2, blackhole = 2^b-3 (as ids),
 * interfaces 1 .. 2^b-4. {@code id2mask} deposits the bits of an id into the set bits of the mask,
 * low to high: mask 0x3F00, id 5 -> 0x500; mask 0xF0F0, id 0x13 -> 0x1030.
 */
public record Marks(int mask) {

    public int bits() {
        return Integer.bitCount(mask);
    }

    /** PDEP of {@code id} into {@code mask}. */
    public int id2mask(int id) {
        int out = 0;
        int m = mask;
        for (int bit = 1; m != 0; bit <<= 1) {
            int lowest = m & -m;
            if ((id & bit) != 0) {
                out |= lowest;
            }
            m &= m - 1;
        }
        return out;
    }

    public int defaultId() {
        return (1 << bits()) - 1;
    }

    public int unreachableId() {
        return (1 << bits()) - 2;
    }

    public int blackholeId() {
        return (1 << bits()) - 3;
    }

    /** Highest usable interface id (60 for 0x3F00). */
    public int maxInterfaces() {
        return (1 << bits()) - 4;
    }

    public int defaultMark() {
        return id2mask(defaultId());
    }

    public int unreachableMark() {
        return id2mask(unreachableId());
    }

    public int blackholeMark() {
        return id2mask(blackholeId());
    }

    public int interfaceMark(int id) {
        if (id < 1 || id > maxInterfaces()) {
            throw new IllegalArgumentException("interface id " + id + " does not fit mask 0x" + Integer.toHexString(mask));
        }
        return id2mask(id);
    }

    public static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
