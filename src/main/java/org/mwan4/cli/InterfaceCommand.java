package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.mwan4.api.ApiClient;
import org.mwan4.api.view.CommandView;
import org.mwan4.api.view.ErrorView;

/** {@code mwan4 ifup IFACE} / {@code mwan4 ifdown IFACE}: bring a WAN into use or take it out, through the daemon. */
final class InterfaceCommand implements Command {
    private final boolean up;
    private final DaemonCall daemon;

    InterfaceCommand(boolean up, Map<String, String> env) {
        this.up = up;
        this.daemon = new DaemonCall(env);
    }

    private String name() {
        return up ? "ifup" : "ifdown";
    }

    @Override
    public Help help() {
        return new Help(name(), "IFACE", up ? "start tracking an interface again after ifdown"
                : "stop using an interface (its tracker stops until ifup)", DaemonCall.options(), """
                Exit 0 when done; 2 with the known interfaces when IFACE is not configured; 3 when the daemon
                is not running.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        String iface = a.single("IFACE");
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.post("/v1/interfaces/" + encode(iface) + "/" + name(), "");
            if (r.status() == 404) {
                ErrorView e = daemon.json.read(r.body(), ErrorView.class);
                err.println("mwan4 " + name() + ": unknown interface '" + iface + "'");
                if (e.known() != null) {
                    err.println("known interfaces: " + (e.known().isEmpty() ? "(none)" : String.join(", ", e.known())));
                }
                return ExitCode.INVALID;
            }
            if (!r.ok() && r.status() != 409) {
                return daemon.failed(name(), r, err);
            }
            CommandView v = daemon.json.read(r.body(), CommandView.class);
            (v.ok() ? out : err).println(v.message());
            return v.ok() ? ExitCode.OK : ExitCode.INTERNAL;
        });
    }

    static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
