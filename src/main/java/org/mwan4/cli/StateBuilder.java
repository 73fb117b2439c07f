package org.mwan4.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.ConfigLoader;
import org.mwan4.config.Interface;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.Reducer;
import org.mwan4.core.Replay;
import org.mwan4.core.State;
import org.mwan4.runtime.eventlog.EventLogException;
import org.mwan4.runtime.eventlog.EventLogReader;

/**
 * The state offline commands (render, explain, plan previews) work on: a config, then either an event log
 * replayed on top of it, or every enabled interface's device assumed present and up.
 */
final class StateBuilder {
    private StateBuilder() {}

    /** A state, or the exit code of a failure already reported on stderr. */
    record Built(State state, int exitCode) {}

    static Built build(String configPath, Optional<String> networkPath, Optional<String> eventsPath, PrintStream err)
            throws UsageException {
        ConfigFile cfg = ConfigFile.read(Path.of(configPath), "config file");
        String networkText = null;
        if (networkPath.isPresent()) {
            networkText = ConfigFile.read(Path.of(networkPath.get()), "network file").text();
        }
        Config config;
        try {
            config = ConfigLoader.load(configPath, cfg.text(), networkPath.orElse(ConfigLoader.NETWORK_PATH), networkText);
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            return new Built(null, ExitCode.INVALID);
        }
        Instant t0 = Instant.EPOCH;
        Reducer reducer = Reducer.standard();
        List<LoggedEvent> events = new ArrayList<>();
        if (eventsPath.isPresent()) {
            // the config comes from the command line: the log's own config loads are left out
            readLog(Path.of(eventsPath.get())).stream().filter(e -> !(e.event() instanceof Event.ConfigLoaded)).forEach(events::add);
        }
        State s = State.initial();
        // the command-line config comes first, so a log without a ConfigLoaded still has one
        s = reducer.apply(s, new Event.ConfigLoaded(t0, configPath, cfg.text(), networkPath.orElse(null), networkText)).state();
        if (eventsPath.isPresent()) {
            s = Replay.last(s, Replay.run(reducer, s, events));
        } else {
            int ifindex = 100;
            for (Interface i : config.interfaces()) {
                if (!i.enabled()) {
                    continue;
                }
                String dev = i.device().orElse(config.networkDevices().getOrDefault(i.name(), i.name()));
                s = reducer.apply(s, new Event.LinkChanged(t0, ifindex++, dev, true, true, "UP")).state();
            }
        }
        return new Built(s, ExitCode.OK);
    }

    private static List<LoggedEvent> readLog(Path file) throws UsageException {
        List<LoggedEvent> out = new ArrayList<>();
        try (EventLogReader r = EventLogReader.open(file)) {
            for (Optional<LoggedEvent> e = r.next(); e.isPresent(); e = r.next()) {
                out.add(e.get());
            }
        } catch (EventLogException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw new UsageException("cannot read event log " + file + ": " + e.getMessage());
        }
        return out;
    }
}
