package org.mwan4.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mwan4.testing.TestNetns;

class NetnsThreadTest {

    @Test
    void threadSeesTheNamespacesInterfacesNotTheHosts() throws Exception {
        try (TestNetns ns = TestNetns.create("netns");
             NetnsThread t = NetnsThread.enter(ns.name())) {
            ns.exec("ip", "link", "add", "mwan4dummy0", "type", "veth", "peer", "name", "mwan4dummy1");
            // /proc/thread-self/net/dev lists the devices of the calling thread's namespace
            String inside = t.call(() -> Files.readString(Path.of("/proc/thread-self/net/dev")));
            assertThat(inside).contains("mwan4dummy0");
            assertThat(Files.readString(Path.of("/proc/self/net/dev"))).doesNotContain("mwan4dummy0");
        }
    }

    @Test
    void aCallFromTheThreadItselfRunsInlineInsteadOfWaitingForItself() throws Exception {
        try (NetnsThread t = NetnsThread.host()) {
            java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
            t.executor().execute(() -> {
                try {
                    Thread outer = Thread.currentThread();
                    done.complete(t.call(() -> Thread.currentThread() == outer ? "inline" : "hopped"));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            assertThat(done.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("inline");
            java.util.concurrent.CompletableFuture<Throwable> failed = new java.util.concurrent.CompletableFuture<>();
            t.executor().execute(() -> {
                try {
                    t.call(() -> {
                        throw new java.io.IOException("boom");
                    });
                    failed.complete(null);
                } catch (RuntimeException e) {
                    failed.complete(e);
                }
            });
            assertThat(failed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(KernelException.class)
                    .hasMessageContaining("boom");
        }
    }

    @Test
    void missingNamespaceIsAClearError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestNetns.isRoot(), "needs root");
        assertThatThrownBy(() -> NetnsThread.enter("mwan4t-does-not-exist"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("mwan4t-does-not-exist")
                .hasMessageContaining("does not exist");
    }
}
