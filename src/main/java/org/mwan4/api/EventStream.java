package org.mwan4.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.mwan4.api.view.EventView;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.runtime.ControlPlane;
import org.mwan4.runtime.ControlPlane.DaemonEvent;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /v1/events} for one client, as Server-Sent Event frames. The daemon's hot stream is never slowed
 * by a client: every operator here takes what the daemon emits at once (unbounded demand upstream), and the
 * client's own bounded buffers decide what it misses when it reads too slowly:
 *
 * <ul>
 *   <li>status changes are conflated ({@code onBackpressureLatest}): a client that falls behind skips ahead,
 *       and the last status it gets is always the latest;</li>
 *   <li>other events (transactions, failures, log lines) wait in a buffer of {@code buffer} entries; when it is
 *       full the oldest are dropped and the client is told with an {@code event: lagged} frame.</li>
 * </ul>
 *
 * Frames are made (JSON written) on {@code scheduler}, not on the thread that emitted the event. The first frame
 * is the current status; a comment line every {@code heartbeat} finds clients that went away.
 */
final class EventStream {
    private final ControlPlane daemon;
    private final Endpoints endpoints;
    private final Json json;
    private final Scheduler scheduler;
    private final int buffer;
    private final Duration heartbeat;

    EventStream(ControlPlane daemon, Endpoints endpoints, Json json, Scheduler scheduler, int buffer, Duration heartbeat) {
        this.daemon = daemon;
        this.endpoints = endpoints;
        this.json = json;
        this.scheduler = scheduler;
        this.buffer = buffer;
        this.heartbeat = heartbeat;
    }

    Flux<String> frames() {
        AtomicLong dropped = new AtomicLong();
        Flux<DaemonEvent> events = daemon.events();
        Flux<DaemonEvent> statuses = events.filter(e -> e instanceof DaemonEvent.StatusChanged).onBackpressureLatest();
        Flux<DaemonEvent> others = events.filter(e -> !(e instanceof DaemonEvent.StatusChanged))
                .onBackpressureBuffer(buffer, e -> dropped.incrementAndGet(), BufferOverflowStrategy.DROP_OLDEST);
        Flux<String> live = Flux.merge(1, statuses, others)
                .publishOn(scheduler, 16)
                .concatMap(e -> {
                    long lost = dropped.getAndSet(0);
                    String frame = frame(view(e));
                    return lost == 0 ? Mono.just(frame) : Flux.just(frame(new EventView.Lagged(lost)), frame);
                }, 1);
        Mono<String> first = Mono.fromCallable(() -> frame(status(0, endpoints.now().toString(), daemon.status())))
                .subscribeOn(scheduler);
        Flux<String> beat = Flux.interval(heartbeat, heartbeat, scheduler).map(n -> ": keepalive\n\n")
                .onBackpressureDrop();
        return Flux.merge(1, Flux.concat(first, live), beat);
    }

    EventView view(DaemonEvent e) {
        return switch (e) {
            case DaemonEvent.StatusChanged s -> status(s.seq(), s.at().toString(), s.status());
            case DaemonEvent.TransactionApplied t -> new EventView.Transaction(t.seq(), t.at().toString(), t.ops(),
                    t.took().toNanos() / 1e6);
            case DaemonEvent.TransactionFailed f -> new EventView.TransactionFailed(f.seq(), f.at().toString(), f.message());
            case DaemonEvent.Logged l -> new EventView.Log(l.seq(), l.at().toString(), l.level(), l.message());
        };
    }

    private EventView.Status status(long seq, String at, StatusSnapshot s) {
        java.time.Instant now = endpoints.now();
        return new EventView.Status(seq, at, now.toString(), InterfaceViews.of(s, daemon.desired(), now), endpoints.strategies(s));
    }

    /** {@code event: NAME\ndata: JSON\n\n} (the JSON is one line, so one data line). */
    String frame(EventView v) {
        return "event: " + v.name() + "\ndata: " + json.write(v) + "\n\n";
    }
}
