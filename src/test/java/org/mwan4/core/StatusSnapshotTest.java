package org.mwan4.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mwan4.core.TestConfigs.config;
import static org.mwan4.core.TestConfigs.iface;
import static org.mwan4.core.TestConfigs.ip;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.core.StatusSnapshot.FamilyStatus;
import org.mwan4.core.StatusSnapshot.InterfaceStatus;
import org.mwan4.core.StatusSnapshot.TargetStatus;

class StatusSnapshotTest {

    static Lab lab() {
        return new Lab().load(config(
                        iface("wan").device("eth0").families(Family.IPV4, Family.IPV6).track("198.51.100.1", "198.51.100.2"),
                        iface("wanb").device("eth1").disabled().track("203.0.113.1"),
                        iface("lte").track("192.0.2.200")).mask(0xFF00))
                .addr(2, "192.0.2.10/24").link(2, "eth0", true)
                .defaultRoute(2, "192.0.2.1");
    }

    @Test
    void everyInterfaceInConfigOrderWithItsFamilies() {
        Lab lab = lab().round("wan", "UD");
        StatusSnapshot s = StatusSnapshot.of(lab.state);
        assertThat(s.interfaces()).extracting(InterfaceStatus::name).containsExactly("wan", "wanb", "lte");

        InterfaceStatus wan = s.iface("wan").orElseThrow();
        assertThat(wan).extracting(InterfaceStatus::id, InterfaceStatus::enabled, InterfaceStatus::device,
                InterfaceStatus::mark, InterfaceStatus::table, InterfaceStatus::operatorDown)
                .containsExactly(1, true, "eth0", 0x100, 1, false);
        FamilyStatus v4 = wan.families().get(0);
        assertThat(v4).isEqualTo(new FamilyStatus(Family.IPV4, TrackerStatus.ONLINE, TrackingState.ACTIVE, 10, 0, 1,
                Lab.t(2), null, List.of(
                        new TargetStatus(ip("198.51.100.1"), Tracker.Verdict.UP, 20.0, 0, null),
                        new TargetStatus(ip("198.51.100.2"), Tracker.Verdict.DOWN, null, 100, null)),
                ip("192.0.2.1"), Lab.t(2)));
        FamilyStatus v6 = wan.families().get(1);
        assertThat(v6.tracking()).as("no IPv6 track_ip").isEqualTo(TrackingState.DISABLED);
        assertThat(v6.status()).isEqualTo(TrackerStatus.ONLINE);
        assertThat(v6.gateway()).isNull();
    }

    @Test
    void aDisabledInterfaceShowsUnknownAndDown() {
        InterfaceStatus wanb = StatusSnapshot.of(lab().state).iface("wanb").orElseThrow();
        assertThat(wanb.enabled()).isFalse();
        assertThat(wanb.mark()).isEqualTo(0x200);
        assertThat(wanb.families()).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(TrackerStatus.UNKNOWN);
            assertThat(f.tracking()).isEqualTo(TrackingState.DOWN);
            assertThat(f.targets()).extracting(TargetStatus::status).containsExactly(Tracker.Verdict.UNKNOWN);
        });
    }

    @Test
    void anInterfaceWithoutDeviceIsDisabledAndPaused() {
        InterfaceStatus lte = StatusSnapshot.of(lab().state).iface("lte").orElseThrow();
        assertThat(lte.device()).isNull();
        assertThat(lte.families().getFirst().status()).isEqualTo(TrackerStatus.DISABLED);
        assertThat(lte.families().getFirst().tracking()).isEqualTo(TrackingState.PAUSED);
        assertThat(lte.families().getFirst().offlineSince()).isEqualTo(Lab.t(0));
    }

    @Test
    void timePassingChangesNothingVisible() {
        Lab lab = lab();
        StatusSnapshot before = StatusSnapshot.of(lab.state);
        lab.apply(new Event.Ticked(Lab.t(500)));
        assertThat(lab.last).isEmpty();
        assertThat(StatusSnapshot.of(lab.state)).isEqualTo(before);
        assertThat(lab.state.now()).isEqualTo(Lab.t(500));
    }

    @Test
    void noConfigNoInterfaces() {
        assertThat(StatusSnapshot.of(State.initial()).interfaces()).isEmpty();
    }
}
