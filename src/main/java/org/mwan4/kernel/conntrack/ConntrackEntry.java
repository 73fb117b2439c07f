package org.mwan4.kernel.conntrack;

import org.mwan4.config.Family;

/**
 * One connection tracking entry as ctnetlink dumps it: its original-direction tuple, mark, id and zone.
 * The id and zone make a delete hit exactly this entry, not a later one reusing the tuple.
 */
public record ConntrackEntry(Family family, CtTuple original, int mark, int id, int zone) {
    @Override
    public String toString() {
        return family.id() + " " + original + " mark=0x" + Integer.toHexString(mark) + (zone != 0 ? " zone=" + zone : "");
    }
}
