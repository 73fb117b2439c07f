package org.mwan4.runtime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code mwan4 run} was told. Every path below is the real one under {@code root} ("/" on a router; a temp
 * dir for tests and demos), unless given explicitly.
 *
 * @param config          /etc/config/mwan4
 * @param network         /etc/config/network (a missing file is fine)
 * @param root            prefix of the default paths of the status file, ruleset-post files, event log and hook
 * @param netns           run inside this network namespace ({@code ip netns} name), null for the process's own
 * @param dryRun          record and print each step's ops instead of applying them; write no files
 * @param keepRules       leave our rules in place at stop (for an upgrade)
 * @param eventLog        the event log (null: under root at var/log/mwan4/events.jsonl)
 * @param eventLogBytes   rotate the event log at this size
 * @param eventLogFiles   keep this many event log files in all
 * @param hook            the user hook (null: under root at etc/mwan4.user)
 * @param hookTimeout     a hook run is killed after this long
 * @param tick            clock tick interval
 * @param out             where a dry run prints its steps
 */
public record ServiceOptions(Path config, Path network, Path root, String netns, boolean dryRun, boolean keepRules,
                             Path eventLog, long eventLogBytes, int eventLogFiles, Path hook, Duration hookTimeout,
                             Duration tick, PrintStream out) {
    public static final long DEFAULT_EVENT_LOG_BYTES = 16L << 20;
    public static final int DEFAULT_EVENT_LOG_FILES = 5;
    public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofSeconds(30);

    /** Defaults for everything but the config file and the root. */
    public static ServiceOptions of(Path config, Path root, PrintStream out) {
        return new ServiceOptions(config, root.resolve("etc/config/network"), root, null, false, false, null,
                DEFAULT_EVENT_LOG_BYTES, DEFAULT_EVENT_LOG_FILES, null, DEFAULT_HOOK_TIMEOUT, Duration.ofSeconds(1), out);
    }

    public Path eventLogPath() {
        return eventLog != null ? eventLog : root.resolve("var/log/mwan4/events.jsonl");
    }

    public Path hookPath() {
        return hook != null ? hook : root.resolve("etc/mwan4.user");
    }

    public Path statusPath() {
        return root.resolve("var/run/mwan4.json");
    }

    public Path rulesetDir() {
        return root.resolve(RulesetPostFiles.DIRECTORY);
    }

    public ServiceOptions withNetns(String name) {
        return new ServiceOptions(config, network, root, name, dryRun, keepRules, eventLog, eventLogBytes, eventLogFiles,
                hook, hookTimeout, tick, out);
    }

    public ServiceOptions withDryRun(boolean on) {
        return new ServiceOptions(config, network, root, netns, on, keepRules, eventLog, eventLogBytes, eventLogFiles,
                hook, hookTimeout, tick, out);
    }

    public ServiceOptions withKeepRules(boolean on) {
        return new ServiceOptions(config, network, root, netns, dryRun, on, eventLog, eventLogBytes, eventLogFiles,
                hook, hookTimeout, tick, out);
    }

    public ServiceOptions withHook(Path script, Duration timeout) {
        return new ServiceOptions(config, network, root, netns, dryRun, keepRules, eventLog, eventLogBytes, eventLogFiles,
                script, timeout, tick, out);
    }

    public ServiceOptions withNetwork(Path file) {
        return new ServiceOptions(config, file, root, netns, dryRun, keepRules, eventLog, eventLogBytes, eventLogFiles,
                hook, hookTimeout, tick, out);
    }

    public ServiceOptions withEventLog(Path file, long bytes, int files) {
        return new ServiceOptions(config, network, root, netns, dryRun, keepRules, file, bytes, files, hook, hookTimeout,
                tick, out);
    }
}
