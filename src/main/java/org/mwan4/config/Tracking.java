package org.mwan4.config;

import java.time.Duration;
import java.util.List;

/**
 * The tracking options of one interface (mwan3-reference "Config options and defaults").
 * Two interfaces whose Tracking is equal need no tracker restart on reload.
 *
 * @param targets          {@code list track_ip}; empty means no tracking (online while the link is up)
 * @param reliability      targets that must answer in one round (1)
 * @param count            probes per target per round (1)
 * @param timeout          per-probe timeout (4 s)
 * @param size             ICMP payload bytes (56)
 * @param maxTtl           (60)
 * @param interval         between rounds while online (10 s)
 * @param failureInterval  while failing / offline (default: interval)
 * @param recoveryInterval while connecting (default: interval)
 * @param keepFailureInterval keep failure_interval while offline (0)
 * @param down             failed rounds before offline (5)
 * @param up               good rounds before online (5)
 * @param quality          check_quality and its thresholds
 * @param httpingSsl       httping over TLS
 * @param dnsQueryName     name asked by nslookup probes ({@code option track_dns_name}, mwan4 extension)
 * @param mode             {@code option track_mode}: rounds (mwan3) or continuous (mwan4 extension)
 * @param window           continuous mode: probes in the rolling window ({@code option track_window}, 20)
 * @param holdTime         continuous mode: minimum time a verdict must hold before it flips ({@code option hold_time}, 0)
 */
public record Tracking(
        List<IpAddress> targets,
        TrackMethod method,
        int reliability,
        int count,
        Duration timeout,
        int size,
        int maxTtl,
        Duration interval,
        Duration failureInterval,
        Duration recoveryInterval,
        boolean keepFailureInterval,
        int down,
        int up,
        Quality quality,
        boolean httpingSsl,
        String dnsQueryName,
        TrackMode mode,
        int window,
        Duration holdTime) {

    public enum TrackMode { ROUNDS, CONTINUOUS }

    /**
     * {@code check_quality} with thresholds: down when loss >= failureLoss or latency >= failureLatency,
     * up when loss <= recoveryLoss and latency <= recoveryLatency.
     */
    public record Quality(boolean enabled, int failureLatencyMs, int recoveryLatencyMs, int failureLossPercent, int recoveryLossPercent) {
        public static final Quality DEFAULT = new Quality(false, 1000, 500, 40, 10);
    }

    public Tracking {
        targets = List.copyOf(targets);
    }

    /** Targets of one family (a dual-stack interface feeds each family's tracker its own). */
    public List<IpAddress> targets(Family f) {
        return targets.stream().filter(t -> t.family() == f).toList();
    }
}
