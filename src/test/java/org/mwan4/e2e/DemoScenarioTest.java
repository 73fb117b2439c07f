package org.mwan4.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;
import org.mwan4.core.TrackingState;
import org.mwan4.demo.DaemonNews;
import org.mwan4.demo.DemoConfig;
import org.mwan4.demo.DemoDaemon;
import org.mwan4.demo.DemoNetwork;
import org.mwan4.demo.DemoRun;
import org.mwan4.demo.DemoScenario;
import org.mwan4.demo.Screen;
import org.mwan4.demo.SummaryRow;
import org.mwan4.demo.SummaryTable;
import org.mwan4.lab.Tally;

/** The demo's scenario logic against a fake daemon and network in virtual time: no root, no kernel. */
class DemoScenarioTest {
    private static final Duration CARRIER_DETECTION = Duration.ofMillis(3);
    private static final Duration LOSS_DETECTION = Duration.ofMillis(1500);
    private static final Duration RECOVERY = Duration.ofMillis(1200);
    private static final Duration TOOK = Duration.ofNanos(450_000);

    @Test
    void timesEveryEventFromImpairmentToVerdictAndTransaction() {
        Fake fake = new Fake(true, false);
        List<SummaryRow> rows = fake.play();

        assertThat(rows).extracting(SummaryRow::event).containsExactly("start, balanced 3:1", "wan1 loses carrier",
                "wan1 carrier returns", "wan2 gets 40 % loss", "wan2 loss ends");
        assertThat(rows).allMatch(SummaryRow::ok);
        assertThat(rows.get(1).detection()).contains(CARRIER_DETECTION);
        assertThat(rows.get(1).kernelApply()).contains(TOOK);
        assertThat(rows.get(1).failover()).contains(CARRIER_DETECTION.plusMillis(1));
        assertThat(rows.get(1).traffic()).isEqualTo("wan1 75->0 %, wan2 25->100 %");
        assertThat(rows.get(2).detection()).contains(RECOVERY);
        assertThat(rows.get(3).detection()).contains(LOSS_DETECTION);
        assertThat(rows.get(3).note()).isEqualTo("wan1 untouched");
        assertThat(rows.get(4).traffic()).isEqualTo("wan1 100->75 %, wan2 0->25 %");
        assertThat(DemoScenario.allOk(rows)).isTrue();
        assertThat(fake.screen()).contains("wan1 loses carrier", "daemon: wan1/ipv4 online -> disabled",
                "scenario finished: 5 of 5 events as expected");
    }

    @Test
    void aWanThatIsNeverDeclaredOfflineFailsItsRowAfterTheStepLimit() {
        Fake fake = new Fake(false, false);
        List<SummaryRow> rows = fake.play();

        SummaryRow loss = rows.get(3);
        assertThat(loss.ok()).isFalse();
        assertThat(loss.detection()).isEmpty();
        assertThat(loss.kernelApply()).isEmpty();
        assertThat(DemoScenario.allOk(rows)).isFalse();
        assertThat(SummaryTable.render(rows)).contains("FAILED");
        assertThat(fake.screen()).contains("no verdict on wan2 within 15 s");
    }

    @Test
    void lossOnTheSecondWanMustNotTouchTheFirst() {
        Fake fake = new Fake(true, true);
        List<SummaryRow> rows = fake.play();

        assertThat(rows.get(3).ok()).isFalse();
        assertThat(rows.get(3).note()).isEqualTo("wan1 changed status too");
    }

    @Test
    void summaryTableAlignsItsColumns() {
        List<SummaryRow> rows = List.of(
                new SummaryRow("wan1 loses carrier", Optional.of(Duration.ofNanos(4_490_000)), Optional.of(Duration.ofNanos(812_000)),
                        Optional.of(Duration.ofMillis(22)), "wan1 77->0 %, wan2 23->100 %", true, ""),
                new SummaryRow("wan2 gets 40 % loss", Optional.empty(), Optional.empty(), Optional.of(Duration.ofSeconds(12)),
                        "wan1 67->67 %", false, "wan1 untouched"));
        assertThat(SummaryTable.render(rows)).isEqualTo("""
                event                detection  kernel apply  failover  traffic moved                 result
                -------------------  ---------  ------------  --------  ----------------------------  -----------------------
                wan1 loses carrier    4.490 ms      0.812 ms     22 ms  wan1 77->0 %, wan2 23->100 %  ok
                wan2 gets 40 % loss          -             -    12.0 s  wan1 67->67 %                 FAILED (wan1 untouched)
                """);
    }

    @Test
    void demoConfigIsValidWithWeightsThreeToOneAndHalfSecondRounds() throws Exception {
        DemoConfig c = DemoConfig.standard(List.of("wan1", "wan2"),
                List.of(IpAddress.parse("203.0.113.201").orElseThrow()), List.of(IpAddress.parse("2001:db8:ffff::201").orElseThrow()));
        var config = ConfigLoader.load("demo", c.text(), null);
        assertThat(config.routes()).extracting(r -> r.iface() + ":" + r.weight()).containsExactly("wan1:3", "wan2:1");
        assertThat(config.interfaces()).allSatisfy(i -> {
            assertThat(i.tracking().interval()).isEqualTo(Duration.ofMillis(500));
            assertThat(i.tracking().down()).isEqualTo(3);
            assertThat(i.tracking().up()).isEqualTo(3);
            assertThat(i.tracking().quality().enabled()).isTrue();
            assertThat(i.families()).containsExactly(Family.IPV4, Family.IPV6);
        });
    }

    @Test
    void withoutRootTheDemoSaysWhyAndExitsOne() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new DemoRun(2, false, false).run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), List.of("needs root (capabilities ...)"));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot build the demo network: needs root", "nothing was created");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /**
     * A daemon and network in one: impairments make the fake daemon report verdicts after fixed delays of virtual
     * time; tallies split 3:1 over the WANs the fake daemon has in service.
     */
    private static final class Fake implements DemoDaemon, DemoNetwork, InstantSource {
        private final boolean detectsLoss;
        private final boolean lossAlsoHitsWan1;
        private final List<Consumer<DaemonNews>> listeners = new CopyOnWriteArrayList<>();
        private final TreeMap<String, TrackerStatus> status = new TreeMap<>();
        private final List<Pending> pending = new ArrayList<>();
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        private record Pending(Instant due, String wan, TrackerStatus to) {}

        Fake(boolean detectsLoss, boolean lossAlsoHitsWan1) {
            this.detectsLoss = detectsLoss;
            this.lossAlsoHitsWan1 = lossAlsoHitsWan1;
            wans().forEach(w -> status.put(w, TrackerStatus.UNKNOWN));
            later(Duration.ofMillis(20), "wan1", TrackerStatus.ONLINE);
            later(Duration.ofMillis(20), "wan2", TrackerStatus.ONLINE);
        }

        List<SummaryRow> play() {
            return new DemoScenario(this, this, Screen.plain(new PrintStream(screen, true, StandardCharsets.UTF_8)), this,
                    this::advance, DemoScenario.Settings.DEFAULT, "fake").play();
        }

        String screen() {
            return screen.toString(StandardCharsets.UTF_8);
        }

        private void later(Duration d, String wan, TrackerStatus to) {
            pending.add(new Pending(now.plus(d), wan, to));
        }

        private void advance(Duration d) {
            Instant until = now.plus(d);
            while (true) {
                Pending next = pending.stream().filter(p -> !p.due().isAfter(until))
                        .min(java.util.Comparator.comparing(Pending::due)).orElse(null);
                if (next == null) {
                    break;
                }
                pending.remove(next);
                now = next.due();
                TrackerStatus from = status.put(next.wan(), next.to());
                for (Family f : Family.values()) {
                    tell(new DaemonNews.StatusChanged(now, next.wan(), f, from, next.to()));
                }
                tell(new DaemonNews.Applied(now.plusMillis(1), TOOK, 2));
            }
            now = until;
        }

        private void tell(DaemonNews n) {
            listeners.forEach(l -> l.accept(n));
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public StatusSnapshot status() {
            List<StatusSnapshot.InterfaceStatus> out = new ArrayList<>();
            int id = 1;
            for (String w : wans()) {
                List<StatusSnapshot.FamilyStatus> fams = new ArrayList<>();
                for (Family f : Family.values()) {
                    fams.add(new StatusSnapshot.FamilyStatus(f, status.get(w), TrackingState.ACTIVE, 0, 0, 0, null, null, List.of(), null));
                }
                out.add(new StatusSnapshot.InterfaceStatus(w, id, true, w, 0x100 * id, id, false, fams));
                id++;
            }
            return new StatusSnapshot(out);
        }

        @Override
        public void watch(Consumer<DaemonNews> listener) {
            listeners.add(listener);
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {}

        @Override
        public List<String> wans() {
            return List.of("wan1", "wan2");
        }

        @Override
        public void carrier(String wan, boolean up) {
            later(up ? RECOVERY : CARRIER_DETECTION, wan, up ? TrackerStatus.ONLINE : TrackerStatus.DISABLED);
        }

        @Override
        public void loss(String wan, int percent) {
            if (percent > 0 && detectsLoss) {
                later(LOSS_DETECTION, wan, TrackerStatus.OFFLINE);
                if (lossAlsoHitsWan1) {
                    later(LOSS_DETECTION, "wan1", TrackerStatus.DISCONNECTING);
                }
            } else if (percent == 0 && status.get(wan) != TrackerStatus.ONLINE) {
                later(RECOVERY, wan, TrackerStatus.ONLINE);
            }
        }

        @Override
        public Tally tally(int connections) {
            TreeMap<String, Integer> by = new TreeMap<>();
            int w1 = status.get("wan1") == TrackerStatus.ONLINE || status.get("wan1") == TrackerStatus.DISCONNECTING ? 3 : 0;
            int w2 = status.get("wan2") == TrackerStatus.ONLINE ? 1 : 0;
            by.put("wan1", connections * w1 / (w1 + w2));
            by.put("wan2", connections * w2 / (w1 + w2));
            return new Tally(by, 0, 0, List.of());
        }
    }
}
