package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.mwan4.kernel.Kernel;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Op;

/** Without a kernel thread of its own, the daemon runs its kernel steps on the kernel's home thread (no hand-off per call). */
class DaemonKernelHomeTest {

    /** {@link SimKernel} with a home thread; notes which thread each step ran on. */
    static final class HomeKernel implements Kernel {
        final SimKernel sim = new SimKernel();
        final ExecutorService home = Executors.newSingleThreadExecutor(r -> new Thread(r, "kernel-home"));
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void apply(List<Op> ops) {
            threads.add(Thread.currentThread().getName());
            sim.apply(ops);
        }

        @Override
        public Desired read() {
            return sim.read();
        }

        @Override
        public Optional<Executor> home() {
            return Optional.of(home);
        }

        @Override
        public String describe() {
            return "sim with a home thread";
        }

        @Override
        public void close() {
            home.shutdownNow();
        }
    }

    @Test
    void kernelStepsRunOnTheKernelsHomeThread() throws Exception {
        try (HomeKernel kernel = new HomeKernel()) {
            Daemon daemon = Daemon.builder().brain(FakeBrain.create()).kernel(kernel).tick(Duration.ZERO).awaitNetlink(true)
                    .build().start();
            try {
                daemon.submit(TestEvents.config(Instant.EPOCH));
                daemon.submit(TestEvents.resync(Instant.EPOCH));
                daemon.submit(TestEvents.link(Instant.EPOCH, 1, false));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (kernel.threads.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(kernel.threads).hasSizeGreaterThanOrEqualTo(2).containsOnly("kernel-home");
            } finally {
                daemon.close();
            }
        }
    }
}
