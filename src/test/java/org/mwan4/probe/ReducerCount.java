package org.mwan4.probe;

import java.util.List;
import org.mwan4.core.Event.ProbeRoundFinished;
import org.mwan4.core.Event.TargetStatus;

/** What the core reducer does with rounds, reduced to the part these tests need: runs of failed rounds. */
final class ReducerCount {
    private ReducerCount() {}

    /** A round fails when fewer than {@code reliability} targets are UP. */
    static boolean failed(ProbeRoundFinished r, int reliability) {
        return r.results().stream().filter(t -> t.status() == TargetStatus.UP).count() < reliability;
    }

    /** Index of the round where {@code down} failed rounds in a row are first complete, or -1. */
    static int offlineAt(List<ProbeRoundFinished> rounds, int reliability, int down) {
        int run = 0;
        for (int i = 0; i < rounds.size(); i++) {
            run = failed(rounds.get(i), reliability) ? run + 1 : 0;
            if (run >= down) {
                return i;
            }
        }
        return -1;
    }

    /** How often {@code down} failed rounds in a row happened (each run counted once). */
    static int offlineEvents(List<ProbeRoundFinished> rounds, int reliability, int down) {
        int run = 0, events = 0;
        for (ProbeRoundFinished r : rounds) {
            run = failed(r, reliability) ? run + 1 : 0;
            if (run == down) {
                events++;
            }
        }
        return events;
    }
}
