package org.mwan4.demo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mwan4.config.Family;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.Tally;

/**
 * What the live view shows at one moment: tracker statuses per WAN, the split of the last batch of new
 * connections, the step being played and the log so far.
 *
 * @param header  first line (lab and kernel)
 * @param wans    WAN names in order
 * @param status  the daemon's status
 * @param traffic the last tally, if any
 * @param phase   what the scenario is doing now
 * @param log     every log line so far, oldest first
 */
public record Frame(String header, List<String> wans, StatusSnapshot status, Optional<Tally> traffic, String phase,
                    List<String> log) {
    static final int BAR = 30;
    static final int LOG_LINES = 10;

    public Frame {
        wans = List.copyOf(wans);
        log = List.copyOf(log);
    }

    /** The full screen as text (the ANSI screen redraws it; pure). */
    public String render() {
        StringBuilder sb = new StringBuilder(header).append("\n\n");
        for (String w : wans) {
            sb.append(String.format(Locale.ROOT, "  %-6s", w));
            for (Family f : Family.values()) {
                sb.append(String.format(Locale.ROOT, " %s %-13s", f.id(), statusOf(w, f).name().toLowerCase(Locale.ROOT)));
            }
            traffic.ifPresent(t -> {
                int filled = (int) Math.round(t.share(w) * BAR);
                sb.append(" [").append("#".repeat(filled)).append(".".repeat(BAR - filled))
                  .append(String.format(Locale.ROOT, "] %3.0f %%", 100 * t.share(w)));
            });
            sb.append('\n');
        }
        traffic.ifPresent(t -> sb.append(String.format(Locale.ROOT, "  (split of the last %d new connections from the LAN%s)%n",
                t.total(), t.failed() == 0 ? "" : ", " + t.failed() + " failed")));
        sb.append("\n  ").append(phase).append("\n\n");
        for (String line : log.subList(Math.max(0, log.size() - LOG_LINES), log.size())) {
            sb.append("  ").append(line).append('\n');
        }
        return sb.toString();
    }

    private TrackerStatus statusOf(String wan, Family f) {
        return status.iface(wan).flatMap(i -> i.families().stream().filter(x -> x.family() == f).findFirst())
                .map(StatusSnapshot.FamilyStatus::status).orElse(TrackerStatus.UNKNOWN);
    }
}
