package org.mwan4.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.HookAction;
import org.mwan4.config.Interface;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Marks;
import org.mwan4.config.Tracking;

/**
 * What one tracker's transitions need to know about its interface, taken from the state before the step:
 * config, device, link, source address and marks.
 *
 * @param device       the Linux device (null: none configured and no link of the interface's name)
 * @param linkExists   a link of that name exists
 * @param linkUp       the device exists and is administratively up with carrier
 * @param source       the probes' source address (null: let the kernel choose)
 * @param probeMark    SO_MARK of the probes: the default mark, so our own rules leave them alone
 * @param ifaceMark    the interface's mark (conntrack flushes), 0 when its id does not fit the mask
 * @param operatorDown taken down with {@code mwan4 ifdown}
 */
record TrackerContext(Interface iface, Family family, String device, boolean linkExists, boolean linkUp, IpAddress source,
                      int probeMark, int ifaceMark, int mask, boolean operatorDown) {

    /** What the tracker should be doing now. */
    enum Mode { RUN, PAUSE, DOWN }

    static TrackerContext of(State state, Interface iface, Family family) {
        Config config = state.config();
        Marks marks = config.marks();
        String device = state.device(iface.name()).orElse(null);
        Optional<State.Link> link = state.linkOf(iface.name());
        boolean linkUp = link.map(State.Link::up).orElse(false);
        IpAddress source = state.sourceAddress(iface.name(), family).orElse(null);
        int ifaceMark = iface.id() >= 1 && iface.id() <= marks.maxInterfaces() ? marks.interfaceMark(iface.id()) : 0;
        return new TrackerContext(iface, family, device, link.isPresent(), linkUp, source, marks.defaultMark(), ifaceMark, marks.mask(),
                state.operatorDown().contains(iface.name()));
    }

    TrackerContext onDevice(String otherDevice) {
        return new TrackerContext(iface, family, otherDevice, linkExists, linkUp, source, probeMark, ifaceMark, mask,
                operatorDown);
    }

    Mode mode() {
        if (operatorDown) {
            return Mode.DOWN;
        }
        return device != null && linkUp ? Mode.RUN : Mode.PAUSE;
    }

    String name() {
        return iface.name();
    }

    Tracking tracking() {
        return iface.tracking();
    }

    /** This family's track_ip; none means online while the link is up, without probes. */
    List<IpAddress> targets() {
        return iface.tracking().targets(family);
    }

    /**
     * The tracking options with only this family's targets: what {@link Effect.StartTracker} carries, so a probe
     * engine never sends an IPv6 target to an IPv4 tracker.
     */
    Tracking familyTracking() {
        Tracking t = iface.tracking();
        return new Tracking(targets(), t.method(), t.reliability(), t.count(), t.timeout(), t.size(), t.maxTtl(),
                t.interval(), t.failureInterval(), t.recoveryInterval(), t.keepFailureInterval(), t.down(), t.up(),
                t.quality(), t.httpingSsl(), t.dnsQueryName(), t.mode(), t.window(), t.holdTime());
    }

    boolean tracked() {
        return !targets().isEmpty();
    }

    /** {@code down}, at least 1: a zero would leave an online tracker online forever. */
    int down() {
        return Math.max(1, iface.tracking().down());
    }

    /** {@code up}, at least 1. */
    int up() {
        return Math.max(1, iface.tracking().up());
    }

    /**
     * Targets that must answer in a good round, capped at this family's target count: {@code reliability} is one
     * option for both families, and a dual-stack interface with 2 IPv4 but 1 IPv6 target must not stay offline
     * on IPv6 forever.
     */
    int reliability() {
        return Math.max(1, Math.min(iface.tracking().reliability(), targets().size()));
    }

    Set<HookAction> flushConntrack() {
        return iface.flushConntrack();
    }

    /** {@code interface wan (ipv4)}, how log lines name a tracker. */
    String label() {
        return "interface " + iface.name() + " (" + family.id() + ")";
    }

    String deviceOrEmpty() {
        return device == null ? "" : device;
    }
}
