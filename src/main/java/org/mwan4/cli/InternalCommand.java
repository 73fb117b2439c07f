package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.mwan4.api.ApiClient;
import org.mwan4.config.Family;

/**
 * {@code mwan4 internal [ipv4|ipv6] [--json]}: mwan3's {@code mwan3 internal}, the addresses, routes (main table and
 * mwan4's tables), ip rules and mwan4's nft sets and chains as the daemon's network namespace has them. The daemon
 * reads them through its own kernel port (GET /v1/internal), so they show its namespace even when the CLI runs in
 * another one; nothing is forked.
 */
final class InternalCommand implements Command {
    private final DaemonCall daemon;

    InternalCommand(Map<String, String> env) {
        this.daemon = new DaemonCall(env);
    }

    @Override
    public Help help() {
        return new Help("internal", "[ipv4|ipv6]", "show addresses, routes, ip rules and mwan4's nft objects as the daemon sees them",
                DaemonCall.options(DaemonCall.JSON), """
                One family (default ipv4), as "ip addr show", "ip route show table main" and each mwan4 table,
                "ip rule show" and "nft list table inet fw4" (mwan4's sets and chains, with counters) would print
                it inside the daemon's network namespace. Asks the running daemon (GET /v1/internal?family=...).
                Exit 2 for a family other than ipv4 or ipv6; 3 when the daemon is not running.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (a.positionals().size() > 1) {
            throw new UsageException("internal takes one family (ipv4 or ipv6), not " + a.positionals().size()
                    + " arguments: " + String.join(" ", a.positionals()));
        }
        String family = a.positionals().isEmpty() ? Family.IPV4.id() : a.positionals().getFirst();
        if (Family.parse(family).isEmpty()) {
            throw new UsageException("the family argument must be ipv4 or ipv6, not '" + family + "'");
        }
        boolean json = a.flag("--json");
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.get("/v1/internal?family=" + family + "&format=" + (json ? "json" : "text"));
            if (!r.ok()) {
                return daemon.failed("internal", r, err);
            }
            out.print(json ? daemon.pretty(r.body()) + "\n" : r.body());
            return ExitCode.OK;
        });
    }
}
