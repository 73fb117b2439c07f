package org.mwan4.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.mwan4.api.ApiClient;
import org.mwan4.api.Json;
import org.mwan4.api.view.ConnectedView;
import org.mwan4.api.view.ListViews;
import org.mwan4.api.view.StatusView;

/**
 * {@code mwan4 status | interfaces | strategies | rules | connected [--json]}: one GET, printed as mwan3's text
 * or as the daemon's JSON.
 */
final class ShowCommand implements Command {
    private final String name;
    private final String path;
    private final String summary;
    private final BiFunction<Json, String, String> text;
    private final DaemonCall daemon;

    private ShowCommand(String name, String path, String summary, BiFunction<Json, String, String> text, Map<String, String> env) {
        this.name = name;
        this.path = path;
        this.summary = summary;
        this.text = text;
        this.daemon = new DaemonCall(env);
    }

    static ShowCommand status(Map<String, String> env) {
        return new ShowCommand("status", "/v1/status", "show interfaces, strategies, connected networks and rules",
                (j, b) -> StatusText.status(j.read(b, StatusView.class)), env);
    }

    static ShowCommand interfaces(Map<String, String> env) {
        return new ShowCommand("interfaces", "/v1/interfaces", "show each interface's status per family", (j, b) -> {
            ListViews.Interfaces v = j.read(b, ListViews.Interfaces.class);
            return StatusText.interfaces(v.interfaces(), Instant.parse(v.now()));
        }, env);
    }

    static ShowCommand strategies(Map<String, String> env) {
        return new ShowCommand("strategies", "/v1/strategies", "show where each strategy sends new connections (mwan3: policies)",
                (j, b) -> StatusText.strategies(j.read(b, ListViews.Strategies.class).strategies()), env);
    }

    static ShowCommand rules(Map<String, String> env) {
        return new ShowCommand("rules", "/v1/rules", "show the user rules with their packet and byte counters",
                (j, b) -> StatusText.rules(j.read(b, ListViews.Rules.class).rules()), env);
    }

    static ShowCommand connected(Map<String, String> env) {
        return new ShowCommand("connected", "/v1/connected", "show the networks that always use normal routing",
                (j, b) -> StatusText.connected(j.read(b, ConnectedView.class)), env);
    }

    @Override
    public Help help() {
        return new Help(name, "", summary, DaemonCall.options(DaemonCall.JSON),
                "Asks the running daemon (GET " + path + " on its socket). Exit 3 when it is not running.");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().getFirst() + "'");
        }
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.get(path);
            if (!r.ok()) {
                return daemon.failed(name, r, err);
            }
            out.print(a.flag("--json") ? daemon.pretty(r.body()) + "\n" : text.apply(daemon.json, r.body()));
            return ExitCode.OK;
        });
    }
}
