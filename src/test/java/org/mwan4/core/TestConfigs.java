package org.mwan4.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mwan4.config.Config;
import org.mwan4.config.ConfigException;
import org.mwan4.config.Diagnostic;
import org.mwan4.config.Family;
import org.mwan4.config.Globals;
import org.mwan4.config.HookAction;
import org.mwan4.config.Interface;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Position;
import org.mwan4.config.TrackMethod;
import org.mwan4.config.Tracking;

/**
 * The one place tests build {@link Config} records by hand (until and besides the real loader): mwan3's
 * defaults, changed through a small fluent builder, plus a {@link ConfigParser} that maps config texts to them.
 */
public final class TestConfigs {
    private TestConfigs() {}

    public static IfaceBuilder iface(String name) {
        return new IfaceBuilder(name);
    }

    public static ConfigBuilder config(IfaceBuilder... ifaces) {
        ConfigBuilder b = new ConfigBuilder();
        for (IfaceBuilder i : ifaces) {
            b.iface(i);
        }
        return b;
    }

    public static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow(() -> new IllegalArgumentException("not an address: " + s));
    }

    /** A parser for {@link Event.ConfigLoaded} in tests: known texts give their config, others a config error. */
    public static final class Parser implements ConfigParser {
        private final Map<String, Config> byText = new LinkedHashMap<>();

        public Parser with(String text, Config config) {
            byText.put(text, config);
            return this;
        }

        @Override
        public Config parse(String path, String text, String networkPath, String networkText) throws ConfigException {
            Config c = byText.get(text);
            if (c == null) {
                List<Diagnostic> errors = new ArrayList<>();
                String[] lines = text.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (lines[i].contains("bad")) {
                        errors.add(Diagnostic.error(new Position(path, i + 1, 1), "interface 'wan'", "down",
                                "'" + lines[i].trim() + "' is not a number"));
                    }
                }
                if (errors.isEmpty()) {
                    errors.add(Diagnostic.error(new Position(path, 1, 1), "", "", "unknown test config"));
                }
                throw new ConfigException(errors);
            }
            return c;
        }
    }

    public static final class ConfigBuilder {
        private final List<IfaceBuilder> ifaces = new ArrayList<>();
        private int mask = Globals.DEFAULT_MMX_MASK;
        private final Map<String, String> networkDevices = new LinkedHashMap<>();
        private String path = "/etc/config/mwan4";
        private final List<Diagnostic> warnings = new ArrayList<>();

        public ConfigBuilder iface(IfaceBuilder i) {
            ifaces.add(i);
            return this;
        }

        public ConfigBuilder mask(int m) {
            mask = m;
            return this;
        }

        public ConfigBuilder network(String iface, String device) {
            networkDevices.put(iface, device);
            return this;
        }

        public ConfigBuilder warning(int line, String subject, String option, String message) {
            warnings.add(Diagnostic.warning(new Position(path, line, 1), subject, option, message));
            return this;
        }

        public ConfigBuilder path(String p) {
            path = p;
            return this;
        }

        public Config build() {
            List<Interface> out = new ArrayList<>();
            for (int n = 0; n < ifaces.size(); n++) {
                out.add(ifaces.get(n).build(n + 1));
            }
            Globals g = new Globals(mask, false, "notice", List.of(), false, Position.NONE);
            return new Config(path, g, out, List.of(), List.of(), List.of(), networkDevices, warnings);
        }
    }

    public static final class IfaceBuilder {
        private final String name;
        private int id;
        private boolean enabled = true;
        private Optional<String> device = Optional.empty();
        private List<Family> families = List.of(Family.IPV4);
        private Interface.InitialState initial = Interface.InitialState.ONLINE;
        private List<IpAddress> targets = List.of();
        private int reliability = 1;
        private Duration interval = Duration.ofSeconds(10);
        private Duration failureInterval;
        private Duration recoveryInterval;
        private boolean keepFailure;
        private int down = 5;
        private int up = 5;
        private Tracking.Quality quality = Tracking.Quality.DEFAULT;
        private final Set<HookAction> flush = EnumSet.noneOf(HookAction.class);

        IfaceBuilder(String name) {
            this.name = name;
        }

        public IfaceBuilder id(int v) { id = v; return this; }
        public IfaceBuilder disabled() { enabled = false; return this; }
        public IfaceBuilder device(String d) { device = Optional.of(d); return this; }
        public IfaceBuilder families(Family... f) { families = List.of(f); return this; }
        public IfaceBuilder offlineAtStart() { initial = Interface.InitialState.OFFLINE; return this; }
        public IfaceBuilder track(String... ips) { targets = java.util.Arrays.stream(ips).map(TestConfigs::ip).toList(); return this; }
        public IfaceBuilder reliability(int r) { reliability = r; return this; }
        public IfaceBuilder interval(int s) { interval = Duration.ofSeconds(s); return this; }
        public IfaceBuilder failureInterval(int s) { failureInterval = Duration.ofSeconds(s); return this; }
        public IfaceBuilder recoveryInterval(int s) { recoveryInterval = Duration.ofSeconds(s); return this; }
        public IfaceBuilder keepFailureInterval() { keepFailure = true; return this; }
        public IfaceBuilder down(int d) { down = d; return this; }
        public IfaceBuilder up(int u) { up = u; return this; }
        public IfaceBuilder flush(HookAction... a) { flush.addAll(List.of(a)); return this; }

        /** check_quality with thresholds: failure latency/loss, recovery latency/loss. */
        public IfaceBuilder quality(int failureLatencyMs, int recoveryLatencyMs, int failureLoss, int recoveryLoss) {
            quality = new Tracking.Quality(true, failureLatencyMs, recoveryLatencyMs, failureLoss, recoveryLoss);
            return this;
        }

        Interface build(int position) {
            Tracking t = new Tracking(targets, TrackMethod.PING, reliability, 1, Duration.ofSeconds(4), 56, 60, interval,
                    failureInterval == null ? interval : failureInterval,
                    recoveryInterval == null ? interval : recoveryInterval,
                    keepFailure, down, up, quality, false, "", Tracking.TrackMode.ROUNDS, 20, Duration.ZERO);
            return new Interface(name, id == 0 ? position : id, enabled, device, families, initial, t, flush,
                    new Position("/etc/config/mwan4", position * 10, 1));
        }
    }
}
