package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mwan4.api.ApiClient;
import org.mwan4.api.view.ErrorView;
import org.mwan4.api.view.UseView;

/**
 * {@code mwan4 use IFACE CMD...}: runs CMD so that its traffic leaves through IFACE (mwan3's {@code use}, without
 * LD_PRELOAD). The daemon keeps one cgroup v2 per interface and marks the sockets of its processes in the output hook;
 * this command asks the daemon for IFACE's cgroup, then runs CMD inside it with stdin/stdout/stderr inherited and
 * exits with CMD's exit code.
 *
 * <p>CMD is in the cgroup before it starts: a shell writes its own pid to {@code cgroup.procs} and then exec()s CMD,
 * so not even CMD's first packet can leave unmarked.
 */
final class UseCommand implements Command {
    /** Exit code when the shell could not enter the cgroup (CMD did not run): 126, "cannot execute". */
    static final int CANNOT_ENTER = 126;
    /**
     * {@code $0} is the cgroup directory, {@code "$@"} CMD. {@code echo $$} writes the shell's own pid, which exec keeps
     * for CMD.
     */
    static final String ENTER = "echo $$ > \"$0/cgroup.procs\" || { echo \"mwan4 use: cannot enter the cgroup $0"
            + " (writing its cgroup.procs failed; mwan4 use needs root); the command did not run\" >&2; exit "
            + CANNOT_ENTER + "; }; exec \"$@\"";

    private final DaemonCall daemon;

    UseCommand(Map<String, String> env) {
        this.daemon = new DaemonCall(env);
    }

    @Override
    public Help help() {
        return new Help("use", "IFACE CMD [ARG...]", "run a command whose traffic leaves through one interface",
                DaemonCall.options(), """
                The daemon keeps a cgroup per interface and gives the sockets of its processes the interface's
                mark, so everything CMD sends leaves through IFACE (connected networks still route normally).
                CMD runs with this terminal's stdin, stdout and stderr; child processes stay in the cgroup.
                Options go before IFACE; everything after IFACE is CMD and its arguments.
                Exit: CMD's exit code (128+N when a signal N killed it); 2 with the known interfaces when IFACE
                is not configured, or when CMD is missing; 1 when the daemon cannot put commands through IFACE
                (disabled, no cgroup2); 3 when the daemon is not running; 126 when CMD could not be put into the
                cgroup (not root), 127 when CMD was not found.""");
    }

    /** Only the arguments up to IFACE are mwan4's: {@code mwan4 use wan curl --help} asks curl for help. */
    @Override
    public List<String> ownArguments(List<String> args) {
        return args.subList(0, split(args));
    }

    /** The index of the first CMD argument: after the first positional (IFACE) among the leading options. */
    static int split(List<String> args) {
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                return Math.min(i + 2, args.size());
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return i + 1;
            }
            boolean takesValue = !a.contains("=") && (a.equals(DaemonCall.SOCKET.flag()) || a.equals(DaemonCall.ROOT.flag()));
            i += takesValue ? 2 : 1;
        }
        return args.size();
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        int split = split(args);
        Args a = Args.parse(help(), args.subList(0, Math.min(split, args.size())));
        String iface = a.single("IFACE");
        List<String> cmd = args.subList(split, args.size());
        if (cmd.isEmpty()) {
            throw new UsageException("missing CMD: the command to run through " + iface);
        }
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.get("/v1/interfaces/" + InterfaceCommand.encode(iface) + "/use");
            if (r.status() == 404) {
                ErrorView e = daemon.json.read(r.body(), ErrorView.class);
                err.println("mwan4 use: unknown interface '" + iface + "'");
                if (e.known() != null) {
                    err.println("known interfaces: " + (e.known().isEmpty() ? "(none)" : String.join(", ", e.known())));
                }
                return ExitCode.INVALID;
            }
            if (r.status() == 409) {
                err.println("mwan4 use: " + daemon.json.read(r.body(), ErrorView.class).error());
                return ExitCode.INTERNAL;
            }
            if (!r.ok()) {
                return daemon.failed("use", r, err);
            }
            return runIn(daemon.json.read(r.body(), UseView.class).cgroup(), cmd, err);
        });
    }

    /**
     * Runs {@code sh -c ENTER CGROUP CMD...} with this process's stdin/stdout/stderr and waits for it. A SIGTERM or
     * SIGINT that stops this JVM is passed on as SIGTERM to CMD (a terminal's Ctrl-C reaches CMD by itself).
     */
    static int runIn(String cgroup, List<String> cmd, PrintStream err) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", ENTER, cgroup));
        argv.addAll(cmd);
        Process p;
        try {
            p = new ProcessBuilder(argv).inheritIO().start();
        } catch (IOException e) {
            err.println("mwan4 use: cannot start /bin/sh to run " + String.join(" ", cmd) + ": " + e.getMessage());
            return ExitCode.INTERNAL;
        }
        Thread forward = new Thread(() -> {
            p.destroy();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mwan4-use-forward-signal");
        Runtime.getRuntime().addShutdownHook(forward);
        try {
            // Process.waitFor gives 128+N for a process killed by signal N, as a shell reports it
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            err.println("mwan4 use: interrupted while waiting for " + String.join(" ", cmd) + "; sent it SIGTERM");
            return ExitCode.INTERNAL;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException stopping) {
                // the JVM is already shutting down: the hook runs (and p is already gone)
            }
        }
    }
}
