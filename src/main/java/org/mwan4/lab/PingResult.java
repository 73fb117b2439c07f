package org.mwan4.lab;

import java.time.Duration;
import java.util.List;

/**
 * What a lab ping saw.
 *
 * @param sent     echo requests sent
 * @param received distinct replies in time
 * @param rtts     round-trip time of each reply, in sequence order
 */
public record PingResult(int sent, int received, List<Duration> rtts) {
    public PingResult {
        rtts = List.copyOf(rtts);
    }

    /** Lost round trips in percent, 0..100. */
    public double lossPercent() {
        return sent == 0 ? 0 : 100.0 * (sent - received) / sent;
    }

    public Duration average() {
        return rtts.isEmpty() ? Duration.ZERO
                : Duration.ofNanos((long) rtts.stream().mapToLong(Duration::toNanos).average().orElse(0));
    }

    public Duration min() {
        return rtts.stream().min(Duration::compareTo).orElse(Duration.ZERO);
    }

    public Duration max() {
        return rtts.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public String toString() {
        return String.format("%d sent, %d received, %.1f %% loss, rtt min/avg/max %.2f/%.2f/%.2f ms", sent, received,
                lossPercent(), min().toNanos() / 1e6, average().toNanos() / 1e6, max().toNanos() / 1e6);
    }
}
