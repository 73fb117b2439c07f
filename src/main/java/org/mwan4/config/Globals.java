package org.mwan4.config;

import java.util.List;

/**
 * {@code config globals 'globals'}.
 *
 * @param mmxMask       the bits of the packet mark mwan4 owns (0x3F00)
 * @param logging       enable per-rule log statements (0)
 * @param loglevel      syslog level for them (notice)
 * @param rtTableLookup extra routing table ids whose networks go to the custom sets
 * @param sourceRouting keep the {@code from X} part of default routes copied into interface tables (0)
 */
public record Globals(int mmxMask, boolean logging, String loglevel, List<Integer> rtTableLookup, boolean sourceRouting, Position position) {
    public static final int DEFAULT_MMX_MASK = 0x3F00;

    public Globals {
        rtTableLookup = List.copyOf(rtTableLookup);
    }

    public static Globals defaults() {
        return new Globals(DEFAULT_MMX_MASK, false, "notice", List.of(), false, Position.NONE);
    }
}
