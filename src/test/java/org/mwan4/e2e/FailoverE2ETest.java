package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.TrackerStatus;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Tally;
import org.mwan4.lab.WithLab;

/**
 * Failover and recovery with real traffic: carrier loss, probe failure (the ISP blackholes the track targets),
 * recovery after {@code up} good rounds, metric tiers, and each family on its own. One lab; every test starts its
 * own daemon and undoes its impairments.
 */
@WithLab
@Tag("e2e")
class FailoverE2ETest {
    private Running mwan4;

    @AfterEach
    void stop(Lab lab) {
        if (mwan4 != null) {
            mwan4.close();
        }
        lab.isps().forEach(i -> i.clear());
        lab.isps().forEach(i -> lab.internet().targets(Family.IPV4).forEach(i::unblackhole));
    }

    private Running start(Lab lab, String strategy) {
        mwan4 = Running.start(lab, Uci.wans(lab, List.of(), Uci.ROUTES + Uci.everything(strategy)));
        for (String w : List.of("wan1", "wan2")) {
            for (Family f : Family.values()) {
                mwan4.awaitStatus(w, f, TrackerStatus.ONLINE);
            }
        }
        return mwan4;
    }

    private static Tally tally(Lab lab, Family f) {
        return lab.lanClient().tally(lab.internet().server(f), 100);
    }

    @Test
    void carrierLossMovesNewConnectionsAndTheyComeBackAfterUpRounds(Lab lab) {
        start(lab, "balanced");
        assertThat(tally(lab, Family.IPV4).count("wan1")).isPositive();

        lab.isp(1).linkDown();
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.DISABLED);
        for (Family f : Family.values()) {
            Tally t = tally(lab, f);
            assertThat(t.count("wan2")).as("%s %s", f, t).isEqualTo(100);
        }

        lab.isp(1).linkUp();
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        Tally back = tally(lab, Family.IPV4);
        assertThat(back.count("wan1")).as("%s", back).isBetween(55, 95);
        assertThat(back.failed()).isZero();
    }

    @Test
    void probeFailureTakesTheWanOfflineAfterDownRoundsAndUpRoundsBringItBack(Lab lab) {
        start(lab, "balanced");
        IpAddress target = lab.internet().targets(Family.IPV4).getFirst();

        lab.isp(1).blackhole(target); // wan1 still carries traffic, but its probes die
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.OFFLINE);
        assertThat(mwan4.status("wan1", Family.IPV6)).as("the other family is tracked on its own").isEqualTo(TrackerStatus.ONLINE);
        assertThat(tally(lab, Family.IPV4).count("wan2")).isEqualTo(100);
        Tally v6 = tally(lab, Family.IPV6);
        assertThat(v6.count("wan1")).as("IPv6 still balanced: %s", v6).isPositive();

        lab.isp(1).unblackhole(target);
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        assertThat(tally(lab, Family.IPV4).count("wan1")).isPositive();
    }

    @Test
    void theBackupTierCarriesTrafficOnlyWhileThePrimaryTierIsOffline(Lab lab) {
        start(lab, "tiered");
        assertThat(tally(lab, Family.IPV4).count("wan1")).isEqualTo(100);

        lab.isp(1).linkDown();
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.DISABLED);
        assertThat(tally(lab, Family.IPV4).count("wan2")).isEqualTo(100);

        lab.isp(1).linkUp();
        mwan4.awaitStatus("wan1", Family.IPV4, TrackerStatus.ONLINE);
        assertThat(tally(lab, Family.IPV4).count("wan1")).isEqualTo(100);
    }
}
