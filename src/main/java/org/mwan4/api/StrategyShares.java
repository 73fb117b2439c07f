package org.mwan4.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.mwan4.api.view.StrategyView;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.Interface;
import org.mwan4.config.Route;
import org.mwan4.config.Strategy;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;

/**
 * Where a strategy sends new connections right now, from config and status (pure), by the rules of
 * mwan3-reference "Strategies" (the planner's strategy chains follow the same ones): only online routes count
 * (online or still disconnecting, interface enabled, not taken down, with a device and an id that fits the
 * mask), the lowest metric among them wins, each route of that tier gets weight/total. mwan3 printed
 * {@code weight * 100 / total} rounded down, so 1:1:1 is 33% each.
 */
final class StrategyShares {
    private StrategyShares() {}

    static List<StrategyView> of(Config config, StatusSnapshot status) {
        Set<Family> families = EnumSet.noneOf(Family.class);
        for (Interface i : config.interfaces()) {
            if (i.enabled()) {
                families.addAll(i.families());
            }
        }
        List<StrategyView> out = new ArrayList<>();
        for (Strategy s : config.strategies()) {
            List<StrategyView.FamilyShare> shares = new ArrayList<>();
            for (Family f : families) {
                shares.add(share(config, status, s, f));
            }
            out.add(new StrategyView(s.name(), s.lastResort().name().toLowerCase(Locale.ROOT), shares));
        }
        return out;
    }

    static StrategyView.FamilyShare share(Config config, StatusSnapshot status, Strategy s, Family f) {
        List<Route> online = new ArrayList<>();
        for (String name : s.routes()) {
            Optional<Route> r = config.route(name).filter(x -> x.metric() >= 0 && x.metric() <= 256 && x.weight() >= 1);
            if (r.isPresent() && usable(status, r.get().iface(), f)) {
                online.add(r.get());
            }
        }
        if (online.isEmpty()) {
            return new StrategyView.FamilyShare(f.id(), null, List.of(), s.lastResort().name().toLowerCase(Locale.ROOT));
        }
        int best = online.stream().mapToInt(Route::metric).min().orElseThrow();
        List<Route> tier = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Route r : online) {
            if (r.metric() == best && seen.add(r.iface())) {
                tier.add(r);
            }
        }
        int total = tier.stream().mapToInt(Route::weight).sum();
        List<StrategyView.Member> members = tier.stream()
                .map(r -> new StrategyView.Member(r.iface(), r.name(), r.weight(), total, r.weight() * 100 / total)).toList();
        return new StrategyView.FamilyShare(f.id(), best, members, null);
    }

    private static boolean usable(StatusSnapshot status, String iface, Family f) {
        Optional<StatusSnapshot.InterfaceStatus> i = status.iface(iface);
        if (i.isEmpty() || !i.get().enabled() || i.get().operatorDown() || i.get().device() == null || i.get().mark() == 0) {
            return false;
        }
        return i.get().families().stream().anyMatch(x -> x.family() == f
                && (x.status() == TrackerStatus.ONLINE || x.status() == TrackerStatus.DISCONNECTING));
    }
}
