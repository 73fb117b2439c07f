package org.mwan4.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mwan4.api.ApiClient;
import org.mwan4.api.Json;
import org.mwan4.api.view.ErrorView;

/**
 * What every client command shares: finding the daemon's socket ({@code --socket PATH}, else
 * {@code $MWAN4_SOCKET}, else {@code <root>/var/run/mwan4.sock} with {@code --root DIR}, default /) and turning
 * "not there" and error answers into messages and exit codes.
 */
final class DaemonCall {
    static final String ENV = "MWAN4_SOCKET";
    static final Command.Option SOCKET = new Command.Option("--socket", "PATH",
            "the daemon's socket (default: $MWAN4_SOCKET, else ROOT/var/run/mwan4.sock)");
    static final Command.Option ROOT = new Command.Option("--root", "DIR", "root directory the daemon runs under (default /)");
    static final Command.Option JSON = new Command.Option("--json", "", "print the daemon's JSON answer instead of text");

    private final Map<String, String> env;
    final Json json = new Json();

    DaemonCall(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The options of a client command: its own, then --socket and --root. */
    static List<Command.Option> options(Command.Option... own) {
        List<Command.Option> out = new java.util.ArrayList<>(List.of(own));
        out.add(SOCKET);
        out.add(ROOT);
        return out;
    }

    Path socket(Args a) {
        if (a.value("--socket").isPresent()) {
            return Path.of(a.value("--socket").get());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(a.value("--root").orElse("/")).resolve("var/run/mwan4.sock");
    }

    /** A request to the daemon; {@link ApiClient.Unreachable} becomes exit 3 (not running) or 1 (denied). */
    interface Call {
        int run(ApiClient client) throws ApiClient.Unreachable, UsageException;
    }

    int run(Args a, PrintStream err, Call call) throws UsageException {
        try {
            return call.run(new ApiClient(socket(a)));
        } catch (ApiClient.Unreachable e) {
            return switch (e) {
                case ApiClient.NotRunning n -> {
                    err.println(n.getMessage());
                    yield ExitCode.NOT_RUNNING;
                }
                case ApiClient.Denied d -> {
                    err.println("mwan4: " + d.getMessage());
                    yield ExitCode.INTERNAL;
                }
            };
        }
    }

    /**
     * Prints a non-2xx answer's error for {@code command}: 4xx are the caller's (exit 2; an unknown interface
     * lists the known ones), others the daemon's (exit 1).
     */
    int failed(String command, ApiClient.Response r, PrintStream err) {
        String message;
        try {
            ErrorView e = json.read(r.body(), ErrorView.class);
            message = e.error();
        } catch (IllegalArgumentException x) {
            message = "HTTP " + r.status() + ": " + r.body().strip();
        }
        err.println("mwan4 " + command + ": " + message);
        return r.status() >= 400 && r.status() < 500 ? ExitCode.INVALID : ExitCode.INTERNAL;
    }

    /** The answer re-indented for people ({@code --json}); field order as the daemon sent it. */
    String pretty(String body) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(m.readTree(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return body.strip();
        }
    }
}
