package org.mwan4.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mwan4.config.uci.UciDocument;
import org.mwan4.config.uci.UciOption;
import org.mwan4.config.uci.UciSection;

/**
 * Reads /etc/config/network for the Linux device of each logical interface:
 * {@code config interface 'wan'} with {@code option device 'eth1'} (OpenWrt 21.02+) or the older
 * {@code option ifname 'eth1'}; a bridge ({@code option type 'bridge'} with ifname) is {@code br-<name>}.
 * A device given as {@code @other} (an alias of another interface) has no device of its own here.
 */
final class NetworkDevices {
    private NetworkDevices() {}

    static Map<String, String> read(String path, String text) throws ConfigException {
        Map<String, String> out = new TreeMap<>();
        for (UciSection s : UciDocument.parse(path, text).sections("interface")) {
            if (s.name().isEmpty()) {
                continue;
            }
            device(s).filter(d -> Names.deviceProblem(d).isEmpty()).ifPresent(d -> out.put(s.name().get(), d));
        }
        return out;
    }

    private static Optional<String> device(UciSection s) {
        Optional<String> device = s.option("device").map(o -> o.last().text().trim());
        if (device.isPresent() && !device.get().isEmpty()) {
            return device.filter(d -> !d.startsWith("@"));
        }
        Optional<String> ifname = s.option("ifname").map(UciOption::values)
                .flatMap(vs -> vs.stream().flatMap(v -> java.util.Arrays.stream(v.text().trim().split("\\s+")))
                        .filter(w -> !w.isEmpty()).findFirst());
        boolean bridge = s.option("type").map(o -> o.last().text().equals("bridge")).orElse(false);
        if (bridge) {
            return Optional.of("br-" + s.name().get());
        }
        return ifname.filter(d -> !d.startsWith("@"));
    }
}
