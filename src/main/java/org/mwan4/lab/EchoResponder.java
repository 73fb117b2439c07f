package org.mwan4.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * Answers ICMP echo requests to the internet's addresses from userspace, late: the lab's stand-in for
 * {@code tc netem delay}, which this kernel lacks. The kernel still answers every echo itself; for an ISP with a
 * delay the internet's output hook drops those kernel replies (see {@link InternetImpairment}) and this
 * responder sends its own after the delay, marked {@link #MARK} so they pass. For ISPs without delay it does
 * nothing, so the kernel's replies stay authoritative and fast.
 *
 * <p>One raw socket per address (bound, so replies leave from the address that was pinged), each read by its
 * own platform thread with a short receive timeout so {@link #close} is prompt.
 */
final class EchoResponder implements AutoCloseable {
    /** fwmark of replies the responder sends ("MW"); the internet's drop rules let these through. */
    static final int MARK = 0x4d57;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Function<IpAddress, Duration> delayOfSource;
    private final ScheduledExecutorService timer;
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private volatile boolean running = true;

    /**
     * Opens the sockets inside {@code inet} and starts answering.
     *
     * @param delayOfSource the extra delay for an echo request from this source (zero: let the kernel answer)
     */
    EchoResponder(Netns inet, List<IpAddress> addresses, Function<IpAddress, Duration> delayOfSource) {
        this.delayOfSource = delayOfSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("lab-echo-timer").unstarted(r));
        try {
            for (IpAddress a : addresses) {
                RawIcmpSocket s = inet.inside(() -> {
                    RawIcmpSocket sock = RawIcmpSocket.open(a.family());
                    try {
                        sock.bind(a);
                        sock.mark(MARK);
                        sock.receiveTimeout(POLL);
                        return sock;
                    } catch (RuntimeException e) {
                        sock.close();
                        throw e;
                    }
                });
                readers.add(Thread.ofPlatform().daemon().name("lab-echo-" + a).start(() -> serve(s)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How many delayed replies were sent so far. */
    long answered() {
        return answered.get();
    }

    private void serve(RawIcmpSocket socket) {
        try {
            while (running) {
                Optional<RawIcmpSocket.Received> r = socket.receive();
                if (r.isEmpty()) {
                    continue;
                }
                byte[] d = r.get().data();
                Optional<IcmpEcho> echo = socket.family() == Family.IPV4
                        ? IcmpEcho.decodeIpv4Packet(d, d.length)
                        : IcmpEcho.decode(Family.IPV6, d, 0, d.length);
                if (echo.isEmpty() || !echo.get().request()) {
                    continue;
                }
                IpAddress from = r.get().from();
                Duration delay = delayOfSource.apply(from);
                if (delay.isZero()) {
                    continue; // the kernel's own reply passes
                }
                byte[] reply = echo.get().reply().encode();
                timer.schedule(() -> {
                    try {
                        socket.send(from, reply);
                        answered.incrementAndGet();
                    } catch (LabException e) {
                        // like a lost reply on a real path; the prober sees a timeout
                    }
                }, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            // a broken socket ends this reader; pings to its address then time out, which a test notices
        } finally {
            awaitTimer();
            socket.close();
        }
    }

    private void awaitTimer() {
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops answering: pending replies are dropped, readers end within one poll interval. */
    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        for (Thread t : readers) {
            try {
                t.join(POLL.toMillis() * 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
