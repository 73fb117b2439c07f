package org.mwan4.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mwan4.api.ApiClient;
import org.mwan4.api.view.DiagnosticView;
import org.mwan4.api.view.PlanView;

/** {@code mwan4 plan CONFIG}: what the daemon would change with that config, without changing anything. */
final class PlanCommand implements Command {
    private final DaemonCall daemon;

    PlanCommand(Map<String, String> env) {
        this.daemon = new DaemonCall(env);
    }

    @Override
    public Help help() {
        return new Help("plan", "CONFIG", "show the kernel changes a config would make, applying nothing",
                DaemonCall.options(DaemonCall.JSON), """
                Sends CONFIG to the running daemon, which plans it against the current state. Prints one op per
                line (exit 0), or every config error as FILE:LINE: SECTION: MESSAGE (exit 2).""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        String file = a.single("CONFIG");
        ConfigFile cfg = ConfigFile.read(Path.of(file), "config file");
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.post("/v1/plan", cfg.text());
            if (!r.ok()) {
                return daemon.failed("plan", r, err);
            }
            if (a.flag("--json")) {
                out.println(daemon.pretty(r.body()));
                return daemon.json.read(r.body(), PlanView.class).valid() ? ExitCode.OK : ExitCode.INVALID;
            }
            PlanView p = daemon.json.read(r.body(), PlanView.class);
            p.warnings().stream().map(d -> named(d, file)).forEach(err::println);
            if (!p.valid()) {
                p.errors().stream().map(d -> named(d, file)).forEach(err::println);
                err.println("mwan4: " + file + ": " + p.errors().size() + " error" + (p.errors().size() == 1 ? "" : "s")
                        + ", nothing would be applied");
                return ExitCode.INVALID;
            }
            p.ops().forEach(out::println);
            err.println("mwan4: " + file + ": " + p.ops().size() + " op" + (p.ops().size() == 1 ? "" : "s")
                    + (p.ops().isEmpty() ? " (the kernel already matches)" : "") + "; nothing applied");
            return ExitCode.OK;
        });
    }

    /** The diagnostic with the user's file name instead of the name the daemon gave the request body. */
    private static String named(DiagnosticView d, String file) {
        String where = d.file() + ":";
        return d.text().startsWith(where) ? file + ":" + d.text().substring(where.length()) : d.text();
    }
}
