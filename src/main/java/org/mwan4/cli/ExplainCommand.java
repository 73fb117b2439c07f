package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import org.mwan4.api.ApiClient;
import org.mwan4.api.explain.Explainer;
import org.mwan4.api.explain.Explanation;
import org.mwan4.api.explain.Flow;
import org.mwan4.api.view.DesiredView;
import org.mwan4.config.Config;
import org.mwan4.config.Cidr;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.IpAddress;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Replay;
import org.mwan4.core.State;
import org.mwan4.kernel.KernelException;
import org.mwan4.kernel.NetnsThread;
import org.mwan4.kernel.nft.LibNftables;
import org.mwan4.kernel.nft.SetContents;
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
                        new Option("--events", "LOG", "replay this event log and plan its last state instead of asking the daemon"),
                        new Option("--netns", "NAME", "the network namespace the daemon's firewall is in (default: this one)"),
                        new Option("--no-kernel", "", "do not read sets from the kernel: assume they hold none of the addresses"),
                        new Option("--json", "", "print the explanation as JSON (each way with its device and share)")),
                """
                Walks the planned nft chains the way the kernel does for the first packet of a new connection
                (no conntrack mark yet), then the ip rules and the route in the chosen table. Balanced strategies
                show each WAN with its share. Sets the plan does not fill (ipset rules, sticky sources) are read
                from the kernel when the daemon is asked; without access they are assumed not to contain the
                address, and a note says so. Exit 3 when the daemon is needed and not running.""");
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
            print(a, out, Explainer.explain(config, Planner.plan(s.withConfig(config)), flow));
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
            SortedMap<String, SortedSet<Cidr>> sets = a.flag("--no-kernel") ? new TreeMap<>()
                    : kernelSets(a.value("--netns").orElse(null), Explainer.setsToRead(desired), err);
            print(a, out, Explainer.explain(config, desired, flow, sets));
            return ExitCode.OK;
        });
    }

    private void print(Args a, PrintStream out, Explanation e) {
        if (a.flag("--json")) {
            out.println(daemon.json.pretty(new ExplainJson(e.flow().describe(), e.flow().family().id(), e.hook(), e.outcomes(), e.notes())));
        } else {
            out.print(ExplainText.render(e));
        }
    }

    /** {@code mwan4 explain --json}: the flow in words, then the explanation's own fields. */
    record ExplainJson(String flow, String family, String hook, List<Explanation.Outcome> outcomes, List<String> notes) {}

    /**
     * What the sets the plan does not fill hold now, read from the kernel in {@code netns} (null: this namespace).
     * Equals {@code nft -j list table inet fw4}. Without access (not root, no libnftables, no table) it says so on
     * {@code err} and returns nothing: the walk then assumes the sets do not contain the address.
     */
    static SortedMap<String, SortedSet<Cidr>> kernelSets(String netns, SortedSet<String> names, PrintStream err) {
        if (names.isEmpty()) {
            return new TreeMap<>();
        }
        try (NetnsThread ns = netns == null ? NetnsThread.host() : NetnsThread.enter(netns);
             LibNftables nft = LibNftables.open(ns)) {
            return SetContents.read(nft, names);
        } catch (KernelException e) {
            err.println("mwan4 explain: cannot read sets " + String.join(", ", names) + " from the kernel (" + e.getMessage()
                    + "); assuming they do not contain the addresses");
            return new TreeMap<>();
        }
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
