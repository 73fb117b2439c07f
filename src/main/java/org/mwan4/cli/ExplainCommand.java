package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mwan4.api.ApiClient;
import org.mwan4.api.explain.Explainer;
import org.mwan4.api.explain.Flow;
import org.mwan4.api.view.DesiredView;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.IpAddress;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Replay;
import org.mwan4.core.State;
import org.mwan4.plan.Desired;
import org.mwan4.plan.Planner;
import org.mwan4.runtime.eventlog.EventLogReader;

/**
 * {@code mwan4 explain --src IP --dst IP [--proto P --sport N --dport N --iif DEV]}: where a new connection goes and
 * why. The chains come from the running daemon's plan (GET /v1/desired), or, with {@code --events LOG}, from
 * replaying an event log and planning its last state; {@code --config F} names interfaces and marks (default: the
 * config the log loaded, else ROOT/etc/config/mwan4).
 */
final class ExplainCommand implements Command {
    private final DaemonCall daemon;

    ExplainCommand(Map<String, String> env) {
        this.daemon = new DaemonCall(env);
    }

    @Override
    public Help help() {
        return new Help("explain", "", "show which rule, strategy, WAN, ip rule and table a new connection gets, and why",
                DaemonCall.options(
                        new Option("--src", "IP", "source address (required)"),
                        new Option("--dst", "IP", "destination address (required)"),
                        new Option("--proto", "PROTO", "tcp, udp, icmp, gre or a number"),
                        new Option("--sport", "PORT", "source port"),
                        new Option("--dport", "PORT", "destination port"),
                        new Option("--iif", "DEV", "the device it arrives on (forwarded traffic); none: the router's own"),
                        new Option("--config", "FILE", "the config (default: from the event log, else ROOT/etc/config/mwan4)"),
                        new Option("--events", "LOG", "replay this event log and plan its last state instead of asking the daemon")),
                """
                Walks the planned nft chains the way the kernel does for the first packet of a new connection
                (no conntrack mark yet), then the ip rules and the route in the chosen table. Balanced strategies
                show each WAN with its share. Exit 3 when the daemon is needed and not running.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().getFirst() + "'");
        }
        Flow flow = flow(a);
        if (a.value("--events").isPresent()) {
            State s = replay(Path.of(a.value("--events").get()));
            Config config = a.value("--config").isPresent() ? config(Path.of(a.value("--config").get()))
                    : Optional.ofNullable(s.config()).orElseThrow(() -> new UsageException("the event log loads no config; give --config"));
            out.print(ExplainText.render(Explainer.explain(config, Planner.plan(s.withConfig(config)), flow)));
            return ExitCode.OK;
        }
        Config config = config(Path.of(a.value("--config").orElse(
                Path.of(a.value("--root").orElse("/")).resolve("etc/config/mwan4").toString())));
        return daemon.run(a, err, client -> {
            ApiClient.Response r = client.get("/v1/desired");
            if (!r.ok()) {
                return daemon.failed("explain", r, err);
            }
            Desired desired;
            try {
                desired = daemon.json.read(r.body(), DesiredView.class).toDesired();
            } catch (IllegalArgumentException e) {
                err.println("mwan4 explain: the daemon's plan cannot be read: " + e.getMessage());
                return ExitCode.INTERNAL;
            }
            out.print(ExplainText.render(Explainer.explain(config, desired, flow)));
            return ExitCode.OK;
        });
    }

    static Flow flow(Args a) throws UsageException {
        IpAddress src = address(a, "--src");
        IpAddress dst = address(a, "--dst");
        if (src.family() != dst.family()) {
            throw new UsageException("--src " + src + " and --dst " + dst + " must both be IPv4 or both IPv6");
        }
        return new Flow(src, dst, a.value("--proto").orElse(null), port(a, "--sport"), port(a, "--dport"),
                a.value("--iif").orElse(null));
    }

    private static IpAddress address(Args a, String option) throws UsageException {
        String v = a.value(option).orElseThrow(() -> new UsageException("missing " + option + " IP"));
        return IpAddress.parse(v).orElseThrow(() -> new UsageException(option + " '" + v + "' is not an IP address"));
    }

    private static Integer port(Args a, String option) throws UsageException {
        if (a.value(option).isEmpty()) {
            return null;
        }
        String v = a.value(option).get();
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " '" + v + "' is not a port (0-65535)");
        }
    }

    private static Config config(Path file) throws UsageException {
        ConfigFile f = ConfigFile.read(file, "config file");
        try {
            return ConfigLoader.load(file.toString(), f.text(), null);
        } catch (ConfigException e) {
            throw new UsageException("config " + file + " is not valid (run 'mwan4 check " + file + "'):\n" + e.getMessage());
        }
    }

    private static State replay(Path log) throws UsageException {
        try {
            EventLogReader.ReadResult r = EventLogReader.readAll(log);
            if (r.error().isPresent()) {
                throw new UsageException("event log " + log + ": " + r.error().get().getMessage());
            }
            List<LoggedEvent> events = r.events();
            return Replay.last(State.initial(), Replay.run(events));
        } catch (IOException e) {
            throw new UsageException("cannot read event log " + log + ": " + e.getMessage());
        }
    }
}
