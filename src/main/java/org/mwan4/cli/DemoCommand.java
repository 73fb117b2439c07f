package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;
import org.mwan4.demo.DemoRun;
import org.mwan4.lab.Topology;

/** {@code mwan4 demo [--keep] [--isps N] [--plain]}: mwan4 failing over in a lab of network namespaces. */
final class DemoCommand implements Command {

    @Override
    public Help help() {
        return new Help("demo", "", "watch mwan4 balance and fail over in a lab of network namespaces (root)",
                List.of(new Option("--keep", "", "keep the lab and its rules afterwards, and print how to look at them"),
                        new Option("--isps", "N", "how many WANs the lab has (2.." + Topology.MAX_ISPS + ", default 2)"),
                        new Option("--plain", "", "print log lines instead of redrawing the screen"),
                        new Option("--verbose", "", "also show the daemon's own log lines (stderr)")),
                """
                Builds a LAN client, a router, N ISPs and an internet as network namespaces, starts mwan4 in the
                router (weights 3:1, ping tracking every 0.5 s, down 3 / up 3, check_quality on), then: wan1 loses
                carrier and returns, wan2 gets 40 % loss and recovers. Shows the traffic split of new LAN
                connections per WAN live, then a summary table with detection, kernel apply and failover times.
                Needs root; touches nothing outside its own namespaces; takes well under a minute.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        a.noPositionals();
        int isps;
        String n = a.value("--isps").orElse("2");
        try {
            isps = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new UsageException("--isps needs a number, got '" + n + "'");
        }
        if (isps < 2 || isps > Topology.MAX_ISPS) {
            throw new UsageException("--isps must be 2.." + Topology.MAX_ISPS + ", got " + isps);
        }
        if (!a.flag("--verbose")) {
            quietDaemonLog();
        }
        boolean terminal = !a.flag("--plain") && System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new DemoRun(isps, a.flag("--keep"), terminal).run(out, err);
    }

    /** The daemon's info/warn lines would tear up the live view: only errors reach stderr during the demo. */
    private static void quietDaemonLog() {
        if (org.slf4j.LoggerFactory.getLogger("org.mwan4") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
