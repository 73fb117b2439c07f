package org.mwan4.probe.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mwan4.kernel.NetnsThread;

/** The epoll loop itself, in the JVM's own namespace (no sockets, no root needed). */
class ProbeLoopTest {

    @Test
    void timersRunInDeadlineOrderOnTheLoopThread() throws Exception {
        try (NetnsThread t = NetnsThread.host(); ProbeLoop loop = ProbeLoop.start(t, Clock.systemUTC())) {
            List<String> ran = new CopyOnWriteArrayList<>();
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                long now = loop.nanoTime();
                loop.at(now + 30_000_000, () -> ran.add("c"));
                loop.at(now + 10_000_000, () -> ran.add("a"));
                loop.at(now + 20_000_000, () -> {
                    ran.add("b");
                    onLoop.complete(loop.inLoop());
                });
                loop.at(now + 15_000_000, () -> ran.add("cancelled")).cancel();
                loop.at(now + 40_000_000, () -> done.complete(null));
            });
            done.get(5, TimeUnit.SECONDS);
            assertThat(ran).containsExactly("a", "b", "c");
            assertThat(onLoop.get()).isTrue();
        }
    }

    @Test
    void executeFromAnotherThreadWakesTheLoopAndCloseIsPrompt() throws Exception {
        NetnsThread t = NetnsThread.host();
        ProbeLoop loop = ProbeLoop.start(t, Clock.systemUTC());
        CompletableFuture<Long> woke = new CompletableFuture<>();
        long sent = System.nanoTime();
        loop.execute(() -> woke.complete(System.nanoTime() - sent));
        assertThat(woke.get(5, TimeUnit.SECONDS)).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        long before = System.nanoTime();
        loop.close();
        t.close();
        assertThat(System.nanoTime() - before).isLessThan(TimeUnit.SECONDS.toNanos(2));
    }
}
