package org.mwan4.demo;

import java.util.function.Consumer;
import org.mwan4.core.StatusSnapshot;

/**
 * The mwan4 daemon as the demo sees it: already running inside the lab's router, reporting what happens.
 * {@link InProcessDaemon} is the real one; tests of the scenario logic use a fake.
 */
public interface DemoDaemon extends AutoCloseable {

    /** The latest status, as {@code mwan4 status} shows it. */
    StatusSnapshot status();

    /** Adds a listener for every status change and kernel transaction from now on (any thread; must return fast). */
    void watch(Consumer<DaemonNews> listener);

    /** One line on how the daemon reaches the kernel, for the screen. */
    String describe();

    /** Stops the daemon; removes its rules unless it was started to keep them. */
    @Override
    void close();
}
