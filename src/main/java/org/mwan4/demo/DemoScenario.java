package org.mwan4.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.mwan4.config.Family;
import org.mwan4.lab.Tally;

/**
 * The demo's story, played against a running daemon and a network that can fail: balanced traffic; wan1 loses
 * carrier and comes back; the second WAN gets 40 % loss, the quality check takes it out without touching wan1,
 * and it recovers. Each event is timed from the impairment to the tracker's verdict (detection) and to the
 * kernel transaction that moved the traffic (failover), and the split of new connections is measured before and
 * after. The daemon and network are ports, so the logic runs against fakes in unit tests.
 */
public final class DemoScenario {

    /**
     * @param connections new connections per traffic measurement
     * @param stepLimit   how long one event may take to be detected and applied
     * @param refresh     how often the live view is redrawn while waiting
     * @param lossPercent the loss the second WAN gets
     */
    public record Settings(int connections, Duration stepLimit, Duration refresh, int lossPercent) {
        public static final Settings DEFAULT = new Settings(300, Duration.ofSeconds(15), Duration.ofMillis(100), 40);
    }

    /** Waits; the real one sleeps, tests move a fake clock. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d);
    }

    private final DemoDaemon daemon;
    private final DemoNetwork network;
    private final Screen screen;
    private final InstantSource clock;
    private final Pause pause;
    private final Settings settings;
    private final Timeline timeline = new Timeline();
    private final List<String> log = new ArrayList<>();
    private final Instant started;
    private final String header;
    private Optional<Tally> traffic = Optional.empty();
    private String phase = "starting";

    public DemoScenario(DemoDaemon daemon, DemoNetwork network, Screen screen, InstantSource clock, Pause pause,
                        Settings settings, String header) {
        this.daemon = daemon;
        this.network = network;
        this.screen = screen;
        this.clock = clock;
        this.pause = pause;
        this.settings = settings;
        this.header = header;
        this.started = clock.instant();
        daemon.watch(this::heard);
    }

    /** Plays every event in order and returns the summary rows (one per event). */
    public List<SummaryRow> play() {
        List<SummaryRow> rows = new ArrayList<>();
        String first = network.wans().getFirst();
        String second = network.wans().get(1);
        rows.add(startup());
        Tally before = traffic.orElseThrow();
        rows.add(step(first + " loses carrier", first, before, () -> network.carrier(first, false), false, t -> t.count(first) == 0, ""));
        rows.add(step(first + " carrier returns", first, traffic.orElseThrow(), () -> network.carrier(first, true), true,
                t -> t.count(first) > 0, ""));
        int mark = timeline.mark();
        rows.add(step(second + " gets " + settings.lossPercent() + " % loss", second, traffic.orElseThrow(),
                () -> network.loss(second, settings.lossPercent()), false, t -> t.count(second) == 0, ""));
        rows.add(step(second + " loss ends", second, traffic.orElseThrow(), () -> network.loss(second, 0), true,
                t -> t.count(second) > 0, ""));
        boolean untouched = timeline.since(mark).stream()
                .noneMatch(n -> n instanceof DaemonNews.StatusChanged s && s.iface().equals(first));
        SummaryRow loss = rows.get(3);
        rows.set(3, new SummaryRow(loss.event(), loss.detection(), loss.kernelApply(), loss.failover(), loss.traffic(),
                loss.ok() && untouched, untouched ? first + " untouched" : first + " changed status too"));
        phase = "done";
        say("scenario finished: " + rows.stream().filter(SummaryRow::ok).count() + " of " + rows.size() + " events as expected");
        return rows;
    }

    /** Every WAN online in both families, the kernel quiet, then the first traffic split. */
    private SummaryRow startup() {
        phase = "waiting for every WAN to be online";
        Instant t0 = clock.instant();
        boolean online = waitFor(phase, () -> allOnline() ? Optional.of(true) : Optional.empty()).isPresent();
        Tally t = measure();
        say(String.format(Locale.ROOT, "all WANs %s after %s; new connections: %s", online ? "online" : "NOT online",
                SummaryTable.ms(Optional.of(Duration.between(t0, clock.instant()))), split(t)));
        return new SummaryRow("start, balanced 3:1", Optional.empty(), Optional.empty(), Optional.empty(), split(t),
                online && t.failed() == 0 && network.wans().stream().allMatch(w -> t.count(w) > 0), "");
    }

    private SummaryRow step(String title, String wan, Tally before, Runnable impair, boolean returns,
                            Predicate<Tally> expected, String note) {
        phase = title + " ...";
        say(title);
        int mark = timeline.mark();
        Instant t0 = clock.instant();
        impair.run();
        Predicate<DaemonNews.StatusChanged> verdict = s -> s.iface().equals(wan) && s.family() == Family.IPV4
                && (returns ? s.entersService() : s.leavesService());
        Optional<Timeline.Found<DaemonNews.StatusChanged>> seen =
                waitFor(title, () -> timeline.first(mark, DaemonNews.StatusChanged.class, verdict));
        Optional<Timeline.Found<DaemonNews.Applied>> applied = seen.flatMap(s ->
                waitFor(title, () -> timeline.first(s.position(), DaemonNews.Applied.class, a -> true)));
        Optional<Duration> detection = seen.map(s -> nonNegative(Duration.between(t0, s.news().at())));
        Optional<Duration> failover = applied.map(a -> nonNegative(Duration.between(t0, a.news().at())));
        seen.ifPresentOrElse(
                s -> say(String.format(Locale.ROOT, "  %s/ipv4 %s -> %s after %s", wan, name(s.news().from()), name(s.news().to()),
                        SummaryTable.ms(detection))),
                () -> say("  no verdict on " + wan + " within " + settings.stepLimit().toSeconds() + " s"));
        applied.ifPresent(a -> say(String.format(Locale.ROOT, "  kernel transaction (%d ops) committed in %s; traffic %s after %s",
                a.news().ops(), SummaryTable.ms(Optional.of(a.news().took())), returns ? "back" : "moved", SummaryTable.ms(failover))));
        Tally after = measure();
        boolean ok = seen.isPresent() && applied.isPresent() && expected.test(after) && after.failed() == 0;
        say("  new connections: " + split(after) + (ok ? "" : "  <- not as expected"));
        return new SummaryRow(title, detection, applied.map(a -> a.news().took()), failover, moved(before, after), ok, note);
    }

    private boolean allOnline() {
        return network.wans().stream().allMatch(w -> daemon.status().iface(w)
                .map(i -> !i.families().isEmpty() && i.families().stream()
                        .allMatch(f -> f.status() == org.mwan4.core.TrackerStatus.ONLINE))
                .orElse(false));
    }

    private Tally measure() {
        phase = phase + " (measuring " + settings.connections() + " new connections)";
        redraw();
        Tally t = network.tally(settings.connections());
        traffic = Optional.of(t);
        redraw();
        return t;
    }

    /** Polls {@code probe} until it has an answer or the step limit passes, redrawing the screen meanwhile. */
    private <T> Optional<T> waitFor(String what, Supplier<Optional<T>> probe) {
        Instant deadline = clock.instant().plus(settings.stepLimit());
        while (true) {
            Optional<T> r = probe.get();
            if (r.isPresent() || !clock.instant().isBefore(deadline)) {
                redraw();
                return r;
            }
            redraw();
            pause.pause(settings.refresh());
        }
    }

    /** On the daemon's thread: only notes it down (the screen is redrawn by the scenario's own thread). */
    private void heard(DaemonNews n) {
        timeline.add(n);
        switch (n) {
            case DaemonNews.StatusChanged s -> note(String.format(Locale.ROOT, "    daemon: %s/%s %s -> %s", s.iface(), s.family().id(),
                    name(s.from()), name(s.to())));
            case DaemonNews.Applied a -> { }
            case DaemonNews.LinkSeen l -> { }
        }
    }

    private void say(String line) {
        note(line);
        redraw();
    }

    private synchronized void note(String line) {
        double s = Duration.between(started, clock.instant()).toMillis() / 1000.0;
        log.add(String.format(Locale.ROOT, "%7.3f s  %s", s, line));
    }

    private synchronized void redraw() {
        screen.show(new Frame(header, network.wans(), daemon.status(), traffic, phase, log));
    }

    private String split(Tally t) {
        StringBuilder sb = new StringBuilder();
        for (String w : network.wans()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f %%", w, 100 * t.share(w)));
        }
        return sb.toString();
    }

    private String moved(Tally before, Tally after) {
        StringBuilder sb = new StringBuilder();
        for (String w : network.wans()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.0f->%.0f %%", w,
                    100 * before.share(w), 100 * after.share(w)));
        }
        return sb.toString();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String name(org.mwan4.core.TrackerStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** Whether every row went as expected. */
    public static boolean allOk(List<SummaryRow> rows) {
        return rows.stream().allMatch(SummaryRow::ok);
    }
}
