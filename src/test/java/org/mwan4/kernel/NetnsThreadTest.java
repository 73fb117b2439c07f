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
    void missingNamespaceIsAClearError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestNetns.isRoot(), "needs root");
        assertThatThrownBy(() -> NetnsThread.enter("mwan4t-does-not-exist"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("mwan4t-does-not-exist")
                .hasMessageContaining("does not exist");
    }
}
