package org.mwan4.lab;

import java.time.Duration;
import java.util.Optional;

/**
 * How a lab ping runs.
 *
 * @param device   send through this device only ({@code SO_BINDTODEVICE}, like {@code ping -I wan2})
 * @param mark     fwmark on the requests ({@code SO_MARK}, like {@code ping -m}); 0 for none
 * @param count    echo requests, 1..10000
 * @param interval time between requests
 * @param timeout  how long to wait for replies after the last request
 */
public record PingOptions(Optional<String> device, int mark, int count, Duration interval, Duration timeout) {
    public PingOptions {
        if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("ping count " + count + " out of range 1..10000");
        }
        if (interval.isNegative() || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("ping interval/timeout out of range: " + interval + "/" + timeout);
        }
    }

    /** {@code count} pings 20 ms apart, 1 s timeout, routed normally. */
    public static PingOptions count(int count) {
        return new PingOptions(Optional.empty(), 0, count, Duration.ofMillis(20), Duration.ofSeconds(1));
    }

    public PingOptions via(String dev) {
        return new PingOptions(Optional.of(dev), mark, count, interval, timeout);
    }

    public PingOptions withMark(int m) {
        return new PingOptions(device, m, count, interval, timeout);
    }

    public PingOptions every(Duration i) {
        return new PingOptions(device, mark, count, i, timeout);
    }

    public PingOptions waiting(Duration t) {
        return new PingOptions(device, mark, count, interval, t);
    }
}
