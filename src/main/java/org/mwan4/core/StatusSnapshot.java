package org.mwan4.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Marks;

/**
 * What the status file ({@code /var/run/mwan4.json}), the status stream and {@code mwan4 status} show, derived
 * from the state alone (pure). Interfaces in config order, families ipv4 then ipv6, targets in track_ip order.
 * Holds no "now": two states that differ only in time give equal snapshots.
 */
public record StatusSnapshot(List<InterfaceStatus> interfaces) {

    public StatusSnapshot {
        interfaces = List.copyOf(interfaces);
    }

    /**
     * @param device the Linux device (null: none)
     * @param mark   the interface's fwmark (0 when its id does not fit {@code mmx_mask})
     * @param table  its routing table (= its id)
     */
    public record InterfaceStatus(String name, int id, boolean enabled, String device, int mark, int table,
                                  boolean operatorDown, List<FamilyStatus> families) {
        public InterfaceStatus {
            families = List.copyOf(families);
        }
    }

    /**
     * @param status       unknown for a disabled interface (no tracker)
     * @param tracking     active / paused / disabled (no track_ip) / down
     * @param onlineSince  null while not online
     * @param offlineSince null while online
     * @param gateway      the default route's gateway in the main table via the device (null: none)
     * @param upSince      when the interface came up for this tracker (link up, ifup, or the start), null while down
     */
    public record FamilyStatus(Family family, TrackerStatus status, TrackingState tracking, int score, int lost, int turn,
                               Instant onlineSince, Instant offlineSince, List<TargetStatus> targets, IpAddress gateway,
                               Instant upSince) {
        public FamilyStatus {
            targets = List.copyOf(targets);
        }

        /** Without an up time (kept for code written before {@link #upSince()} existed). */
        public FamilyStatus(Family family, TrackerStatus status, TrackingState tracking, int score, int lost, int turn,
                            Instant onlineSince, Instant offlineSince, List<TargetStatus> targets, IpAddress gateway) {
            this(family, status, tracking, score, lost, turn, onlineSince, offlineSince, targets, gateway, null);
        }
    }

    /** One track_ip and what the last round saw (latency/loss/jitter null when not measured). */
    public record TargetStatus(IpAddress target, Tracker.Verdict status, Double latencyMs, Integer lossPercent,
                               Double jitterMs) {}

    public static StatusSnapshot of(State state) {
        Config config = state.config();
        if (config == null) {
            return new StatusSnapshot(List.of());
        }
        Marks marks = config.marks();
        List<InterfaceStatus> out = new ArrayList<>();
        for (Interface iface : config.interfaces()) {
            List<FamilyStatus> families = new ArrayList<>();
            for (Family f : Trackers.families(iface)) {
                families.add(family(state, iface, f));
            }
            int mark = iface.id() >= 1 && iface.id() <= marks.maxInterfaces() ? marks.interfaceMark(iface.id()) : 0;
            out.add(new InterfaceStatus(iface.name(), iface.id(), iface.enabled(), state.device(iface.name()).orElse(null),
                    mark, iface.id(), state.operatorDown().contains(iface.name()), families));
        }
        return new StatusSnapshot(out);
    }

    private static FamilyStatus family(State state, Interface iface, Family f) {
        IpAddress gateway = state.gateway(iface.name(), f).orElse(null);
        Tracker t = iface.enabled() ? state.trackers().get(new State.TrackerKey(iface.name(), f)) : null;
        if (t == null) {
            List<TargetStatus> targets = iface.tracking().targets(f).stream()
                    .map(a -> new TargetStatus(a, Tracker.Verdict.UNKNOWN, null, null, null)).toList();
            return new FamilyStatus(f, TrackerStatus.UNKNOWN, TrackingState.DOWN, 0, 0, 0, null, null, targets, gateway);
        }
        List<TargetStatus> targets = t.targets().stream()
                .map(x -> new TargetStatus(x.address(), x.verdict(), x.latencyMs(), x.lossPercent(), x.jitterMs()))
                .toList();
        return new FamilyStatus(f, t.status(), t.tracking(), t.score(), t.lost(), t.turn(), t.onlineSince(),
                t.offlineSince(), targets, gateway, t.upSince());
    }

    /** Whether two trackers show the same in a snapshot (interval, probe binding and first-connect flag do not show). */
    static boolean sameVisible(Tracker a, Tracker b) {
        return a.status() == b.status() && a.tracking() == b.tracking() && a.score() == b.score() && a.lost() == b.lost()
                && a.turn() == b.turn() && java.util.Objects.equals(a.onlineSince(), b.onlineSince())
                && java.util.Objects.equals(a.offlineSince(), b.offlineSince()) && a.targets().equals(b.targets())
                && java.util.Objects.equals(a.upSince(), b.upSince());
    }

    /** The interface of that name, if configured. */
    public java.util.Optional<InterfaceStatus> iface(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
