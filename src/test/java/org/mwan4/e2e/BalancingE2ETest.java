package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mwan4.config.Family;
import org.mwan4.core.TrackerStatus;
import org.mwan4.demo.DemoConfig;
import org.mwan4.lab.Lab;
import org.mwan4.lab.Tally;
import org.mwan4.lab.TcpSession;
import org.mwan4.lab.WithLab;

/** Weights 3:1 split new connections 75/25 in both families; an existing connection keeps its WAN. */
@WithLab
@Tag("e2e")
class BalancingE2ETest {
    private static Running mwan4;

    @BeforeAll
    static void start(Lab lab) {
        mwan4 = Running.start(lab, DemoConfig.standard(lab.isps().stream().map(i -> i.wan()).toList(),
                lab.internet().targets(Family.IPV4), lab.internet().targets(Family.IPV6)).text());
        for (String wan : new String[] {"wan1", "wan2"}) {
            for (Family f : Family.values()) {
                mwan4.awaitStatus(wan, f, TrackerStatus.ONLINE);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (mwan4 != null) {
            mwan4.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Family.class)
    void twoThousandNewConnectionsSplitThreeToOne(Family f, Lab lab) {
        Tally t = lab.lanClient().tally(lab.internet().server(f), 2000);
        assertThat(t.failed()).as("%s", t).isZero();
        assertThat(t.unknown()).as("%s", t).isZero();
        assertThat(t.share("wan1")).as("%s", t).isBetween(0.70, 0.80);
        assertThat(t.share("wan2")).as("%s", t).isBetween(0.20, 0.30);
    }

    @Test
    void anExistingConnectionStaysOnItsWan(Lab lab) throws IOException {
        try (TcpSession s = lab.lanClient().session(lab.internet().server(Family.IPV4))) {
            String first = s.openedVia().orElseThrow();
            lab.lanClient().tally(lab.internet().server(Family.IPV4), 200); // new flows go both ways meanwhile
            for (int i = 0; i < 20; i++) {
                assertThat(s.via()).contains(first);
            }
        }
    }
}
