package org.mwan4.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mwan4.api.view.EventView;

/**
 * {@code mwan4 status [--json] [--watch [--updates N]]}: the status once (mwan3's four sections), or a live view
 * redrawn from the daemon's event stream on every status change until Ctrl-C or the daemon goes away.
 */
final class StatusCommand implements Command {
    static final Command.Option WATCH = new Command.Option("--watch", "", "keep showing the status, redrawn on every change");
    static final Command.Option UPDATES = new Command.Option("--updates", "N", "with --watch: stop after N updates");

    private final ShowCommand once;
    private final DaemonCall daemon;
    private final boolean terminal;

    StatusCommand(Map<String, String> env, boolean terminal) {
        this.once = ShowCommand.status(env);
        this.daemon = new DaemonCall(env);
        this.terminal = terminal;
    }

    @Override
    public Help help() {
        return new Help("status", "", "show interfaces, strategies, connected networks and rules",
                DaemonCall.options(DaemonCall.JSON, WATCH, UPDATES), """
                Asks the running daemon (GET /v1/status); with --watch follows GET /v1/events. Exit 3 when the
                daemon is not running or goes away while watching.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (!a.flag("--watch")) {
            if (a.value("--updates").isPresent()) {
                throw new UsageException("--updates only goes with --watch");
            }
            return once.run(args, out, err);
        }
        long limit = updates(a);
        return daemon.run(a, err, client -> {
            long[] seen = {0};
            boolean stopped = client.events(frame -> {
                if (!frame.startsWith("event: status\n")) {
                    return true;
                }
                EventView.Status s = daemon.json.read(frame.substring(frame.indexOf("data: ") + 6), EventView.Status.class);
                if (a.flag("--json")) {
                    out.println(daemon.json.write(s));
                } else {
                    out.print(terminal ? "\033[H\033[2J" : (seen[0] > 0 ? "\n" : ""));
                    out.println("mwan4 status at " + s.now() + (terminal ? " (Ctrl-C to stop)" : ""));
                    out.println();
                    out.print(StatusText.live(s.interfaces(), s.strategies(), Instant.parse(s.now())));
                }
                out.flush();
                return ++seen[0] < limit;
            });
            if (stopped) {
                return ExitCode.OK;
            }
            err.println("mwan4 went away (the event stream on " + client.socket() + " ended)");
            return ExitCode.NOT_RUNNING;
        });
    }

    private static long updates(Args a) throws UsageException {
        if (a.value("--updates").isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            long n = Long.parseLong(a.value("--updates").get());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--updates needs a positive number, not '" + a.value("--updates").get() + "'");
        }
    }
}
