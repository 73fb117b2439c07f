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
 * @param useCgroup     where {@code mwan4 use} puts commands: the cgroup v2 directory, relative to the cgroup2 mount,
 *                      under which the daemon makes one directory per interface ({@code mwan4})
 */
public record Globals(int mmxMask, boolean logging, String loglevel, List<Integer> rtTableLookup, boolean sourceRouting,
                      Position position, String useCgroup) {
    public static final int DEFAULT_MMX_MASK = 0x3F00;
    public static final String DEFAULT_USE_CGROUP = "mwan4";

    public Globals {
        rtTableLookup = List.copyOf(rtTableLookup);
    }

    /** The globals without a {@code use_cgroup} option (its default). */
    public Globals(int mmxMask, boolean logging, String loglevel, List<Integer> rtTableLookup, boolean sourceRouting, Position position) {
        this(mmxMask, logging, loglevel, rtTableLookup, sourceRouting, position, DEFAULT_USE_CGROUP);
    }

    public static Globals defaults() {
        return new Globals(DEFAULT_MMX_MASK, false, "notice", List.of(), false, Position.NONE);
    }
}
