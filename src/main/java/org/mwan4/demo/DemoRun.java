package org.mwan4.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import org.mwan4.config.Family;
import org.mwan4.lab.Isp;
import org.mwan4.lab.Lab;
import org.mwan4.lab.LabException;
import org.mwan4.lab.Preflight;

/**
 * {@code mwan4 demo} end to end: builds a lab, starts the daemon in its router, plays {@link DemoScenario} with a
 * live view, prints the summary table, then removes everything (or keeps it and says how to look at it).
 *
 * @param isps     WANs in the lab (2..8)
 * @param keep     leave the lab and mwan4's rules in place
 * @param terminal redraw the screen (else print log lines only)
 */
public record DemoRun(int isps, boolean keep, boolean terminal) {

    /** What the run ended with: 0 every event as expected; 1 something failed or the lab could not be built. */
    public int run(PrintStream out, PrintStream err) {
        return run(out, err, Preflight.problems());
    }

    /** {@link #run(PrintStream, PrintStream)} with the machine's problems given (what {@link Preflight} found). */
    public int run(PrintStream out, PrintStream err, List<String> problems) {
        if (!problems.isEmpty()) {
            err.println("mwan4 demo: cannot build the demo network: " + String.join("; ", problems));
            err.println("mwan4 demo: nothing was created; run it as root on Linux with network namespaces");
            return 1;
        }
        long t0 = System.nanoTime();
        List<String> removed = Lab.removeLeftovers(Lab.DEMO_PREFIX);
        if (!removed.isEmpty()) {
            err.println("mwan4 demo: removed namespaces of an earlier demo that ended abruptly: " + removed);
        }
        out.println("mwan4 demo: building a lab with " + isps + " WANs (network namespaces " + Lab.DEMO_PREFIX + "*) ...");
        Lab lab;
        try {
            lab = Lab.builder().prefix(Lab.DEMO_PREFIX).isps(isps).build();
        } catch (LabException e) {
            err.println("mwan4 demo: " + e.getMessage());
            return 1;
        }
        try {
            return play(lab, out, err, t0);
        } finally {
            if (keep) {
                String removeIt = lab.keep();
                out.println();
                out.println(pokeAround(lab, removeIt));
            } else {
                lab.close();
                out.println("mwan4 demo: lab removed.");
            }
        }
    }

    private int play(Lab lab, PrintStream out, PrintStream err, long t0) {
        DemoConfig config = DemoConfig.standard(lab.isps().stream().map(Isp::wan).toList(),
                lab.internet().targets(Family.IPV4), lab.internet().targets(Family.IPV6));
        InProcessDaemon daemon;
        try {
            daemon = InProcessDaemon.start(lab.router().name(), config.text(), keep);
        } catch (RuntimeException e) {
            err.println("mwan4 demo: could not start mwan4 in " + lab.router().name() + ": " + e.getMessage());
            return 1;
        }
        List<SummaryRow> rows;
        try {
            String header = "mwan4 demo - lab " + lab.id() + ", mwan4 in " + lab.router().name() + " (" + daemon.describe() + ")";
            Screen screen = terminal ? Screen.terminal(out) : Screen.plain(out);
            DemoScenario scenario = new DemoScenario(daemon, new LabNetwork(lab), screen, InstantSource.system(),
                    DemoRun::sleep, DemoScenario.Settings.DEFAULT, header);
            rows = scenario.play();
        } finally {
            daemon.close();
        }
        out.println();
        out.print(SummaryTable.render(rows));
        out.println();
        out.println(String.format(Locale.ROOT, "detection: from the impairment to the tracker's verdict; kernel apply: the"
                + " one nft + rtnetlink transaction; failover: impairment to committed transaction. Took %.1f s.",
                (System.nanoTime() - t0) / 1e9));
        if (!keep) {
            out.println("Run 'mwan4 demo --keep' to keep the lab and look around afterwards.");
        }
        return DemoScenario.allOk(rows) ? 0 : 1;
    }

    static String pokeAround(Lab lab, String removeIt) {
        String r = lab.router().name();
        return "The lab is kept, with mwan4's rules as they were at the end (the daemon itself has stopped; the ping\n"
                + "targets still answer, the whoami servers ended with this process). Look around:\n"
                + "  ip netns exec " + r + " nft list table inet fw4\n"
                + "  ip -n " + r + " rule show\n"
                + "  ip -n " + r + " route show table 1\n"
                + "  ip netns exec " + lab.lan().name() + " ping -c 3 " + lab.internet().server(Family.IPV4) + "\n"
                + "  mwan4 run --netns " + r + " --config FILE   (then mwan4 status; the control socket comes with the API)\n"
                + "Remove it:\n  " + removeIt + "\n\n" + lab.describe();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo interrupted", e);
        }
    }
}
