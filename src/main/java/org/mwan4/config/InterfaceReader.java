package org.mwan4.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.mwan4.config.uci.UciSection;
import org.mwan4.config.uci.UciValue;

/** {@code config interface 'wan'} -> {@link Interface}, with every option checked (mwan3-reference defaults). */
final class InterfaceReader {
    private InterfaceReader() {}

    static final Set<String> OPTIONS = new LinkedHashSet<>(List.of(
            "enabled", "device", "family", "initial_state", "track_ip", "track_method", "reliability", "count",
            "timeout", "size", "max_ttl", "interval", "failure_interval", "recovery_interval",
            "keep_failure_interval", "down", "up", "check_quality", "failure_latency", "recovery_latency",
            "failure_loss", "recovery_loss", "flush_conntrack", "httping_ssl", "track_dns_name", "track_mode",
            "track_window", "hold_time"));

    static final String DEFAULT_DNS_NAME = "openwrt.org";

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration MS = Duration.ofMillis(1);

    static Interface read(UciSection s, int id, Diagnostics diags) {
        SectionReader r = new SectionReader(s, diags, OPTIONS);
        r.checkUnknown(Map.of());
        String name = s.name().orElse(s.label());
        if (s.name().isEmpty()) {
            r.error(s.position(), "", "an interface section needs a name: the network interface it watches"
                    + " (config interface 'wan')");
        } else {
            Names.problem(Names.Kind.INTERFACE, name).ifPresent(m -> r.error(s.position(), "", m));
        }
        boolean enabled = r.bool("enabled", false);
        Optional<String> device = r.single("device").map(UciValue::text);
        device.flatMap(Names::deviceProblem).ifPresent(m -> r.error(r.at("device"), "device", m));
        List<Family> families = families(r);
        Interface.InitialState initial = r.choice("initial_state", Interface.InitialState.ONLINE,
                words(Interface.InitialState.values()));
        Tracking tracking = tracking(r, families);
        Set<HookAction> flush = flushConntrack(r);
        return new Interface(name, id, enabled, device, families, initial, tracking, flush, s.position());
    }

    private static List<Family> families(SectionReader r) {
        TreeSet<Family> out = new TreeSet<>();
        for (UciValue v : r.items("family", true)) {
            Optional<Family> f = Family.parse(v.text());
            if (f.isEmpty()) {
                r.error(v.position(), "family", "family '" + v.text() + "' is not ipv4 or ipv6"
                        + Spelling.hint(v.text(), List.of("ipv4", "ipv6")));
            } else if (!out.add(f.get())) {
                r.error(v.position(), "family", "family '" + v.text() + "' is listed twice");
            }
        }
        return out.isEmpty() ? List.of(Family.IPV4) : List.copyOf(out);
    }

    private static Tracking tracking(SectionReader r, List<Family> families) {
        List<IpAddress> targets = new ArrayList<>();
        for (UciValue v : r.items("track_ip", true)) {
            Optional<IpAddress> ip = IpAddress.parse(v.text());
            if (ip.isEmpty()) {
                r.error(v.position(), "track_ip", "track_ip '" + v.text() + "' is not an IP address (mwan4 tracks"
                        + " addresses, never names)");
            } else if (targets.contains(ip.get())) {
                r.error(v.position(), "track_ip", "track_ip '" + v.text() + "' is listed twice");
            } else if (!families.contains(ip.get().family())) {
                r.error(v.position(), "track_ip", "track_ip '" + v.text() + "' is " + ip.get().family().id()
                        + " but the interface's families are " + ids(families) + " (add list family '"
                        + ip.get().family().id() + "')");
            } else {
                targets.add(ip.get());
            }
        }
        TrackMethod method = r.choice("track_method", TrackMethod.PING, methods());
        int reliability = r.integer("reliability", 1, 1, 1000);
        for (Family f : families) {
            long n = targets.stream().filter(t -> t.family() == f).count();
            if (n > 0 && reliability > n) {
                r.error(r.at("reliability"), "reliability", "reliability " + reliability + " is more than the "
                        + n + " " + f.id() + " track_ip target" + (n == 1 ? "" : "s") + ", so every round would fail");
            }
        }
        if (method == TrackMethod.ARPING && families.contains(Family.IPV6) && targets.stream().anyMatch(t -> t.family() == Family.IPV6)) {
            r.error(r.at("track_method"), "track_method", "track_method 'arping' works for ipv4 only; "
                    + "this interface tracks ipv6 targets too");
        }
        int count = r.integer("count", 1, 1, 100);
        Duration timeout = r.seconds("timeout", Duration.ofSeconds(4), true, MS, HOUR);
        int size = r.integer("size", 56, 0, 65507);
        int maxTtl = r.integer("max_ttl", 60, 1, 255);
        Duration interval = r.seconds("interval", Duration.ofSeconds(10), true, MS, HOUR);
        Duration failureInterval = r.seconds("failure_interval", interval, true, MS, HOUR);
        Duration recoveryInterval = r.seconds("recovery_interval", interval, true, MS, HOUR);
        boolean keepFailure = r.bool("keep_failure_interval", false);
        int down = r.integer("down", 5, 1, 1000);
        int up = r.integer("up", 5, 1, 1000);
        Tracking.Quality quality = quality(r);
        boolean httpingSsl = r.bool("httping_ssl", false);
        String dnsName = r.single("track_dns_name").map(UciValue::text).orElse(DEFAULT_DNS_NAME);
        Names.dnsProblem(dnsName).ifPresent(m -> r.error(r.at("track_dns_name"), "track_dns_name", "track_dns_name " + m));
        Tracking.TrackMode mode = r.choice("track_mode", Tracking.TrackMode.ROUNDS, words(Tracking.TrackMode.values()));
        int window = r.integer("track_window", 20, 1, 1000);
        Duration hold = r.seconds("hold_time", Duration.ZERO, true, Duration.ZERO, HOUR);
        return new Tracking(targets, method, reliability, count, timeout, size, maxTtl, interval, failureInterval,
                recoveryInterval, keepFailure, down, up, quality, httpingSsl, dnsName, mode, window, hold);
    }

    private static Tracking.Quality quality(SectionReader r) {
        Tracking.Quality d = Tracking.Quality.DEFAULT;
        boolean enabled = r.bool("check_quality", d.enabled());
        int failureLatency = r.integer("failure_latency", d.failureLatencyMs(), 1, 60000);
        int recoveryLatency = r.integer("recovery_latency", d.recoveryLatencyMs(), 1, 60000);
        int failureLoss = r.integer("failure_loss", d.failureLossPercent(), 0, 100);
        int recoveryLoss = r.integer("recovery_loss", d.recoveryLossPercent(), 0, 100);
        if (recoveryLatency > failureLatency) {
            r.error(r.at("recovery_latency"), "recovery_latency", "recovery_latency " + recoveryLatency
                    + " is above failure_latency " + failureLatency + " (a target would count as up and down at once)");
        }
        if (recoveryLoss > failureLoss) {
            r.error(r.at("recovery_loss"), "recovery_loss", "recovery_loss " + recoveryLoss
                    + " is above failure_loss " + failureLoss + " (a target would count as up and down at once)");
        }
        return new Tracking.Quality(enabled, failureLatency, recoveryLatency, failureLoss, recoveryLoss);
    }

    private static Set<HookAction> flushConntrack(SectionReader r) {
        Map<String, HookAction> allowed = new LinkedHashMap<>();
        for (HookAction a : List.of(HookAction.IFUP, HookAction.IFDOWN, HookAction.CONNECTED, HookAction.DISCONNECTED)) {
            allowed.put(a.id(), a);
        }
        Set<HookAction> out = EnumSet.noneOf(HookAction.class);
        for (UciValue v : r.items("flush_conntrack", true)) {
            HookAction a = allowed.get(v.text());
            if (v.text().equals("always") || v.text().equals("never")) {
                r.error(v.position(), "flush_conntrack", "flush_conntrack '" + v.text() + "' is the old mwan3 form;"
                        + " run 'mwan4 migrate' (it becomes " + (v.text().equals("always") ? "list flush_conntrack 'ifup' and 'ifdown'" : "no entry") + ")");
            } else if (a == null) {
                r.error(v.position(), "flush_conntrack", "flush_conntrack '" + v.text() + "' is not one of "
                        + String.join(", ", allowed.keySet()) + Spelling.hint(v.text(), allowed.keySet()));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    static Map<String, TrackMethod> methods() {
        Map<String, TrackMethod> m = new LinkedHashMap<>();
        for (TrackMethod t : TrackMethod.values()) {
            m.put(t.id(), t);
        }
        return m;
    }

    /** Enum constants by their lower-case spelling, in declaration order. */
    static <E extends Enum<E>> Map<String, E> words(E[] values) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E e : values) {
            m.put(e.name().toLowerCase(java.util.Locale.ROOT), e);
        }
        return m;
    }

    static String ids(List<Family> families) {
        return String.join("+", families.stream().map(Family::id).toList());
    }
}
