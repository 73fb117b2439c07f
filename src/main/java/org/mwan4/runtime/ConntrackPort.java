package org.mwan4.runtime;

import org.mwan4.config.Family;

/** Deletes the conntrack entries of one interface's mark: {@code conntrack -D -f ipv4 --mark MARK/MASK}. May block. */
@FunctionalInterface
public interface ConntrackPort {
    /** @return how many entries were deleted */
    int flush(Family family, int mark, int mask);

    /** Nothing to flush (dry runs, tests). */
    static ConntrackPort none() {
        return (family, mark, mask) -> 0;
    }
}
