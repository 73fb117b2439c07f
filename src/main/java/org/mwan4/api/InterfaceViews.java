package org.mwan4.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.api.view.InterfaceView;
import org.mwan4.config.Family;
import org.mwan4.config.Marks;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.plan.Desired;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;

/** {@link StatusSnapshot} to {@link InterfaceView}s (pure), with mwan3's error sum when the plan is known. */
final class InterfaceViews {
    private InterfaceViews() {}

    /** @param now the daemon's clock, for the online and up durations */
    static List<InterfaceView> of(StatusSnapshot status, Optional<Desired> desired, Instant now) {
        List<InterfaceView> out = new ArrayList<>();
        for (StatusSnapshot.InterfaceStatus i : status.interfaces()) {
            out.add(of(i, desired, now));
        }
        return out;
    }

    static InterfaceView of(StatusSnapshot.InterfaceStatus i, Optional<Desired> desired, Instant now) {
        List<InterfaceView.FamilyView> families = new ArrayList<>();
        for (StatusSnapshot.FamilyStatus f : i.families()) {
            Integer error = desired.isPresent() && i.enabled() && i.device() != null ? error(i, f.family(), desired.get()) : null;
            families.add(new InterfaceView.FamilyView(f.family().id(), f.status().id(), f.tracking().id(), error, f.score(),
                    f.lost(), f.turn(), iso(f.onlineSince()), iso(f.offlineSince()), iso(f.upSince()),
                    seconds(f.onlineSince(), now), seconds(f.upSince(), now), f.gateway() == null ? null : f.gateway().toString(),
                    f.targets().stream().map(t -> new InterfaceView.TargetView(t.target().toString(), t.status().id(),
                            t.latencyMs(), t.lossPercent(), t.jitterMs())).toList()));
        }
        return new InterfaceView(i.name(), i.id(), i.enabled(), i.device(), Marks.hex(i.mark()), i.table(), i.operatorDown(),
                families);
    }

    /**
     * mwan3's {@code error} number (mwan3-reference "CLI and status"), against the plan instead of the kernel:
     * 1 ip rule 1000+id, 2 ip rule 2000+id, 4 ip rule 3000+id, 8 chain mwan4_iface_in_IFACE_FAMILY,
     * 16 a default route via the device in table id. 0 = all there.
     */
    static int error(StatusSnapshot.InterfaceStatus i, Family f, Desired d) {
        int error = 0;
        if (!hasRule(d, f, 1000 + i.id())) {
            error += 1;
        }
        if (!hasRule(d, f, 2000 + i.id())) {
            error += 2;
        }
        if (!hasRule(d, f, 3000 + i.id())) {
            error += 4;
        }
        if (!d.chains().containsKey("mwan4_iface_in_" + i.name() + "_" + f.id())) {
            error += 8;
        }
        boolean defaultRoute = false;
        for (IpRoute r : d.routes()) {
            if (r.table() == i.table() && r.destination().isDefault() && r.destination().family() == f
                    && r.device().equals(i.device())) {
                defaultRoute = true;
            }
        }
        if (!defaultRoute) {
            error += 16;
        }
        return error;
    }

    private static boolean hasRule(Desired d, Family f, int priority) {
        for (IpRule r : d.ipRules()) {
            if (r.family() == f && r.priority() == priority) {
                return true;
            }
        }
        return false;
    }

    /** Whole seconds from {@code since} to {@code now} (never negative), null when {@code since} is. */
    static Long seconds(Instant since, Instant now) {
        return since == null ? null : Math.max(0, java.time.Duration.between(since, now).toSeconds());
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
