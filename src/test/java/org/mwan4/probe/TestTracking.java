package org.mwan4.probe;

import java.time.Duration;
import java.util.List;
import org.mwan4.config.IpAddress;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;

/** Tracking options for tests: mwan3's defaults except short timeouts, changed one at a time. */
final class TestTracking {
    private List<IpAddress> targets;
    private TrackMethod method;
    private int reliability = 1;
    private int count = 1;
    private Duration timeout = Duration.ofMillis(800);
    private int size = 56;
    private Duration interval = Duration.ofMillis(500);
    private Tracking.Quality quality = Tracking.Quality.DEFAULT;
    private boolean ssl;
    private String dnsName = "probe.example";
    private Tracking.TrackMode mode = Tracking.TrackMode.ROUNDS;
    private int window = 20;
    private Duration hold = Duration.ZERO;

    static TestTracking of(TrackMethod method, IpAddress... targets) {
        TestTracking t = new TestTracking();
        t.method = method;
        t.targets = List.of(targets);
        return t;
    }

    TestTracking reliability(int v) { reliability = v; return this; }
    TestTracking count(int v) { count = v; return this; }
    TestTracking timeout(Duration v) { timeout = v; return this; }
    TestTracking size(int v) { size = v; return this; }
    TestTracking interval(Duration v) { interval = v; return this; }
    TestTracking quality(Tracking.Quality v) { quality = v; return this; }
    TestTracking ssl(boolean v) { ssl = v; return this; }
    TestTracking dnsName(String v) { dnsName = v; return this; }
    TestTracking continuous(int windowSize, Duration holdTime) {
        mode = Tracking.TrackMode.CONTINUOUS;
        window = windowSize;
        hold = holdTime;
        return this;
    }

    Tracking build() {
        return new Tracking(targets, method, reliability, count, timeout, size, 60, interval, interval, interval, false,
                3, 3, quality, ssl, dnsName, mode, window, hold);
    }
}
