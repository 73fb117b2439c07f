package org.mwan4.lab;

/**
 * A JVM that builds a lab and then waits to be killed: {@link LabCleanupTest} sends it SIGTERM (what Ctrl-C's
 * SIGINT also triggers: the JVM's shutdown hooks) and checks the lab is gone.
 * Prints {@code READY <labId>} once the lab is up. Gives up by itself after 60 s.
 */
public final class LabChild {
    private LabChild() {}

    public static void main(String[] args) throws InterruptedException {
        Lab lab = Lab.builder().prefix(args[0]).isps(1).servers(true).build();
        System.out.println("READY " + lab.id());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
