package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.ConfigException;
import org.mwan4.kernel.KernelException;
import org.mwan4.runtime.LogFormat;
import org.mwan4.runtime.Service;
import org.mwan4.runtime.ServiceOptions;
import sun.misc.Signal;

/**
 * {@code mwan4 run}: the daemon in the foreground (systemd, procd). SIGHUP reloads the config, SIGTERM and
 * SIGINT stop it: trackers stop, hooks run with MWAN4_SHUTDOWN=1, our rules are removed (unless --keep-rules),
 * exit 0 within a second.
 */
final class RunCommand implements Command {
    /** How long a stop may take before the process exits anyway. */
    private static final Duration STOP_LIMIT = Duration.ofMillis(900);

    @Override
    public Help help() {
        return new Help("run", "", "run the daemon in the foreground",
                List.of(new Option("--config", "FILE", "the config (default ROOT/etc/config/mwan4)"),
                        new Option("--network", "FILE", "interface devices from this network file (default ROOT/etc/config/network)"),
                        new Option("--root", "DIR", "prefix of every default path (default /)"),
                        new Option("--netns", "NAME", "run inside this network namespace (ip netns name)"),
                        new Option("--dry-run", "", "apply nothing: print each step's ops, write no files"),
                        new Option("--keep-rules", "", "leave the rules in place at stop (for an upgrade)"),
                        new Option("--log-json", "", "log JSON lines instead of text"),
                        new Option("--event-log", "PATH", "the event log (default ROOT/var/log/mwan4/events.jsonl)"),
                        new Option("--event-log-size", "BYTES", "rotate the event log at this size (default 16 MiB)"),
                        new Option("--event-log-files", "N", "event log files kept, the current one included (default 5)"),
                        new Option("--hook", "PATH", "the user hook (default ROOT/etc/mwan4.user)"),
                        new Option("--hook-timeout", "SECONDS", "kill a hook run after this long (default 30)")),
                """
                At start mwan4 reads what the kernel holds and applies only the difference to the config (a restart
                with the same config changes nothing). It writes the ruleset-post files for fw4 under
                ROOT/usr/share/nftables.d/ruleset-post and its status to ROOT/var/run/mwan4.json after every change.
                Signals: HUP re-reads the config (an invalid one is rejected and the running one stays), TERM/INT stop.
                Exit 2 when the config is invalid at start, 1 when the kernel side cannot be opened.""");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (!a.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.positionals().getFirst() + "'");
        }
        ServiceOptions o = options(a, out);
        if (a.flag("--log-json")) {
            LogFormat.json();
        }
        Service service;
        try {
            service = Service.start(o);
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            err.println("mwan4 run: " + o.config() + ": " + e.errors().size() + " errors, not starting");
            return ExitCode.INVALID;
        } catch (IOException e) {
            err.println("mwan4 run: " + e.getMessage() + "; not starting");
            return ExitCode.INVALID;
        } catch (KernelException e) {
            err.println("mwan4 run: cannot open the kernel side: " + e.getMessage() + "; not starting");
            return ExitCode.INTERNAL;
        }
        Signal.handle(new Signal("HUP"), s -> service.reload());
        Signal.handle(new Signal("TERM"), s -> service.stop(STOP_LIMIT));
        Signal.handle(new Signal("INT"), s -> service.stop(STOP_LIMIT));
        try {
            service.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            service.stop(STOP_LIMIT);
        }
        return ExitCode.OK;
    }

    static ServiceOptions options(Args a, PrintStream out) throws UsageException {
        Path root = Path.of(a.value("--root").orElse("/"));
        ServiceOptions o = ServiceOptions.of(path(a.value("--config")).orElse(root.resolve("etc/config/mwan4")), root, out)
                .withNetns(a.value("--netns").orElse(null))
                .withDryRun(a.flag("--dry-run"))
                .withKeepRules(a.flag("--keep-rules"));
        Optional<Path> network = path(a.value("--network"));
        if (network.isPresent()) {
            o = o.withNetwork(network.get());
        }
        o = o.withEventLog(path(a.value("--event-log")).orElse(null),
                number(a, "--event-log-size", ServiceOptions.DEFAULT_EVENT_LOG_BYTES, 4096),
                (int) number(a, "--event-log-files", ServiceOptions.DEFAULT_EVENT_LOG_FILES, 1));
        long hookSeconds = number(a, "--hook-timeout", ServiceOptions.DEFAULT_HOOK_TIMEOUT.toSeconds(), 1);
        return o.withHook(path(a.value("--hook")).orElse(null), Duration.ofSeconds(hookSeconds));
    }

    private static Optional<Path> path(Optional<String> v) {
        return v.map(Path::of);
    }

    private static long number(Args a, String option, long fallback, long min) throws UsageException {
        Optional<String> v = a.value(option);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < min || n > Integer.MAX_VALUE && !option.equals("--event-log-size")) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number of at least " + min + ", not '" + v.get() + "'");
        }
    }
}
