package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.mwan4.api.ApiClient;
import org.mwan4.api.view.CommandView;
import org.mwan4.api.view.DiagnosticView;

/** {@code mwan4 reload}: the daemon re-reads its config; a config with errors is rejected and nothing changes. */
final class ReloadCommand implements Command {
    private final DaemonCall daemon;

    ReloadCommand(Map<String, String> env) {
        this.daemon = new DaemonCall(env);
    }

    @Override
    public Help help() {
        return new Help("reload", "", "make the daemon re-read its config (only what changed is applied)",
                DaemonCall.options(), "Exit 2 with every error when the new config is invalid (the old one stays).");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().getFirst() + "'");
        }
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.post("/v1/reload", "");
            if (!r.ok() && r.status() != 422) {
                return daemon.failed("reload", r, err);
            }
            CommandView v = daemon.json.read(r.body(), CommandView.class);
            v.errors().stream().map(DiagnosticView::text).forEach(err::println);
            (v.ok() ? out : err).println(v.message());
            return v.ok() ? ExitCode.OK : ExitCode.INVALID;
        });
    }
}
