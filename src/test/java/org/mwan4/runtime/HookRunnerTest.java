package org.mwan4.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mwan4.config.Family;
import org.mwan4.config.HookAction;
import org.mwan4.core.Effect;

class HookRunnerTest {
    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path p = dir.resolve("mwan4.user");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        return p;
    }

    private static Effect.RunHook hook(HookAction a, String iface) {
        return new Effect.RunHook(a, iface, Family.IPV4, "eth" + iface.length(), true, false);
    }

    @Test
    void passesTheEnvironmentMwan3HooksExpect() throws Exception {
        Path log = dir.resolve("log");
        List<HookRunner.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (HookRunner r = new HookRunner(script("echo \"$ACTION $INTERFACE $DEVICE $FAMILY $FIRSTCONNECT $MWAN4_SHUTDOWN\" >> " + log),
                Duration.ofSeconds(5), outcomes::add)) {
            r.submit(hook(HookAction.CONNECTED, "wan")).get(10, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(log)).isEqualTo("connected wan eth3 ipv4 1 0\n");
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.ok()).isTrue());
    }

    @Test
    void runsOfOneInterfaceStayInOrderWhileOtherInterfacesRunFreely() throws Exception {
        Path log = dir.resolve("log");
        Path release = dir.resolve("release");
        // wan's "disconnected" blocks until the test releases it; wanb must run meanwhile, wan's "connected" must wait
        String body = "if [ \"$INTERFACE\" = wan ] && [ \"$ACTION\" = disconnected ]; then\n"
                + "  while [ ! -e " + release + " ]; do sleep 0.05; done\nfi\n"
                + "echo \"$INTERFACE $ACTION\" >> " + log;
        try (HookRunner r = new HookRunner(script(body), Duration.ofSeconds(60), o -> {})) {
            long t0 = System.nanoTime();
            var a = r.submit(hook(HookAction.DISCONNECTED, "wan"));
            var b = r.submit(hook(HookAction.CONNECTED, "wan"));
            var c = r.submit(hook(HookAction.DISCONNECTED, "wanb"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("submit never blocks").isLessThan(1000);
            c.get(30, TimeUnit.SECONDS);
            assertThat(a).as("wan's first hook is still running").isNotDone();
            assertThat(b).as("wan's second hook waits for the first").isNotDone();
            Files.writeString(release, "");
            b.get(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllLines(log)).containsExactly("wanb disconnected", "wan disconnected", "wan connected");
    }

    @Test
    void aHungHookIsKilledAfterTheTimeoutAndTheNextRunGoesOn() throws Exception {
        Path log = dir.resolve("log");
        List<HookRunner.Outcome> outcomes = new CopyOnWriteArrayList<>();
        String body = "if [ \"$ACTION\" = disconnected ]; then sleep 60; fi\necho \"$INTERFACE $ACTION\" >> " + log;
        try (HookRunner r = new HookRunner(script(body), Duration.ofMillis(300), outcomes::add)) {
            r.submit(hook(HookAction.DISCONNECTED, "wan"));
            r.submit(hook(HookAction.CONNECTED, "wan")).get(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllLines(log)).containsExactly("wan connected");
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0).timedOut()).isTrue();
        assertThat(outcomes.get(0).hook().action()).isEqualTo(HookAction.DISCONNECTED);
        assertThat(outcomes.get(1).ok()).isTrue();
    }

    @Test
    void missingScriptIsNotAnError() throws Exception {
        List<HookRunner.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (HookRunner r = new HookRunner(dir.resolve("absent"), Duration.ofSeconds(1), outcomes::add)) {
            r.submit(hook(HookAction.IFUP, "wan")).get(5, TimeUnit.SECONDS);
        }
        assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.ok()).isTrue());
    }
}
