package org.mwan4.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mwan4.config.ConfigException;
import org.mwan4.config.Family;
import org.mwan4.core.Event;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;
import org.mwan4.kernel.KernelException;
import org.mwan4.runtime.ControlPlane.DaemonEvent;
import org.mwan4.runtime.Service;
import org.mwan4.runtime.ServiceOptions;

/**
 * The real daemon running in this JVM inside one network namespace, exactly as {@code mwan4 run --netns NAME}
 * runs it: {@link Service#start} with a throw-away root directory (a temp dir holding the config, the event log,
 * the status file and the ruleset-post files; no hook there, so none runs). Removes that directory on
 * {@link #close()}: the demo and the end-to-end tests look at traffic, not files.
 */
public final class InProcessDaemon implements DemoDaemon {
    private final String netns;
    private final Path root;
    private final List<Consumer<DaemonNews>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, TrackerStatus> last = new TreeMap<>();
    private Service service;
    private volatile boolean closed;

    private InProcessDaemon(String netns, Path root) {
        this.netns = netns;
        this.root = root;
    }

    /**
     * Starts the daemon in {@code netns} with a config text; returns at once (trackers and the first kernel step
     * follow within milliseconds).
     *
     * @param keepRules leave the rules in place on {@link #close()} ({@code --keep})
     * @throws KernelException       when nftables, rtnetlink or the probe sockets cannot be opened there
     * @throws IllegalStateException when the config text is invalid
     * @throws UncheckedIOException  when the temp root cannot be written
     * (nothing keeps running after any of them)
     */
    public static InProcessDaemon start(String netns, String configText, boolean keepRules) {
        InProcessDaemon d;
        try {
            d = new InProcessDaemon(netns, Files.createTempDirectory("mwan4-demo-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp root for mwan4: " + e.getMessage(), e);
        }
        try {
            d.open(configText, keepRules);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void open(String configText, boolean keepRules) {
        Path config = root.resolve("etc/config/mwan4");
        try {
            Files.createDirectories(config.getParent());
            Files.writeString(config, configText);
            ServiceOptions o = ServiceOptions.of(config, root, System.out).withNetns(netns).withKeepRules(keepRules);
            service = Service.start(o, new Service.Listeners(this::heard, this::onDaemonEvent));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mwan4 with root " + root + ": " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new IllegalStateException("the config was rejected: " + e.getMessage(), e);
        }
    }

    /** On the rtnetlink monitor thread, before the loop sees the event (the bench times from here). */
    private void heard(Event event) {
        if (event instanceof Event.LinkChanged l && !listeners.isEmpty()) {
            tell(new DaemonNews.LinkSeen(l.at(), l.name(), l.carrier(), System.nanoTime()));
        }
    }

    private void onDaemonEvent(DaemonEvent e) {
        switch (e) {
            case DaemonEvent.StatusChanged s -> statusChanged(s);
            case DaemonEvent.TransactionApplied t -> {
                if (!t.ops().isEmpty()) {
                    tell(new DaemonNews.Applied(t.at(), t.took(), t.ops().size()));
                }
            }
            case DaemonEvent.TransactionFailed f -> System.err.println("mwan4 demo: kernel step failed: " + f.message());
            case DaemonEvent.Logged l -> { }
        }
    }

    /** Turns whole snapshots into per-tracker changes (the stream publishes one snapshot per status-changing event). */
    private void statusChanged(DaemonEvent.StatusChanged s) {
        List<DaemonNews> out = new ArrayList<>();
        synchronized (last) {
            for (StatusSnapshot.InterfaceStatus i : s.status().interfaces()) {
                for (StatusSnapshot.FamilyStatus f : i.families()) {
                    String key = i.name() + "/" + f.family().id();
                    TrackerStatus before = last.getOrDefault(key, TrackerStatus.UNKNOWN);
                    if (before != f.status()) {
                        out.add(new DaemonNews.StatusChanged(s.at(), i.name(), f.family(), before, f.status()));
                        last.put(key, f.status());
                    }
                }
            }
        }
        out.forEach(this::tell);
    }

    private void tell(DaemonNews n) {
        listeners.forEach(l -> l.accept(n));
    }

    @Override
    public StatusSnapshot status() {
        return service == null ? new StatusSnapshot(List.of()) : service.control().status();
    }

    @Override
    public void watch(Consumer<DaemonNews> listener) {
        listeners.add(listener);
    }

    /** The status of one tracker now. */
    public TrackerStatus status(String iface, Family family) {
        return status().iface(iface).flatMap(i -> i.families().stream().filter(f -> f.family() == family).findFirst())
                .map(StatusSnapshot.FamilyStatus::status).orElse(TrackerStatus.UNKNOWN);
    }

    /** What the control API serves: status, rule counters, {@code internal}, commands. */
    public org.mwan4.runtime.ControlPlane control() {
        return service.control();
    }

    /** The daemon's state after the last reduced event. */
    public State state() {
        return service.daemon().state();
    }

    /** When the daemon's loop thinks it is. */
    public Instant now() {
        return service.daemon().now();
    }

    @Override
    public String describe() {
        return service == null ? "not started" : service.describe();
    }

    /**
     * Stops the loop (trackers stop, our kernel objects are removed unless kept), closes the edges and removes the
     * temp root. Waits at most 3 s for the removal.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (service != null && !service.stop(Duration.ofSeconds(3))) {
            System.err.println("mwan4 demo: the daemon in " + netns + " did not stop cleanly within 3 s");
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("mwan4 demo: could not remove the temp root " + root + ": " + e.getMessage());
        }
    }
}
