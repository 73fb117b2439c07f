package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Planner;

/**
 * {@code mwan4 render --config F [--events LOG] --out DIR}: the four ruleset-post files plus ip-rules.txt and
 * routes.txt for a config, touching nothing on the system.
 */
final class RenderCommand implements Command {

    @Override
    public Help help() {
        return new Help("render", "", "write the nft files, ip rules and routes a config produces (nothing is applied)",
                List.of(new Option("--config", "FILE", "the mwan4 config (required)"),
                        new Option("--network", "FILE", "/etc/config/network-style file for interface devices"),
                        new Option("--events", "LOG", "replay this event log first: render the state it ends in"),
                        new Option("--out", "DIR", "directory to write the files into (required; created)")),
                """
                Without --events every enabled interface's device is assumed present and up, so the files show
                the state right after start (initial_state applies). With --events the config comes from the
                command line, links, addresses, routes and probe results from the log.
                Writes 10-mwan4-base.nft, 11-mwan4-interfaces.nft, 12-mwan4-strategies.nft, 13-mwan4-rules.nft,
                ip-rules.txt and routes.txt.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        a.noPositionals();
        String config = a.required("--config");
        Path dir = Path.of(a.required("--out"));
        StateBuilder.Built built = StateBuilder.build(config, a.value("--network"), a.value("--events"), err);
        if (built.exitCode() != ExitCode.OK) {
            return built.exitCode();
        }
        Desired d = Planner.plan(built.state());
        int files;
        try {
            files = RulesetDir.write(dir, d);
        } catch (IOException e) {
            err.println("mwan4: cannot write into " + dir + ": " + e.getMessage());
            return ExitCode.INVALID;
        }
        out.println("mwan4: wrote " + files + " files to " + dir + " ("
                + d.chains().size() + " chains, " + d.sets().size() + " sets, " + d.ipRules().size() + " ip rules, "
                + d.routes().size() + " routes)");
        return ExitCode.OK;
    }
}
