package org.mwan4.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated mwan4 configuration. Produced only by the config loader, so every reference in it resolves.
 *
 * @param path           the file it came from (for messages)
 * @param networkDevices interface name -> Linux device from /etc/config/network, when the loader read one
 * @param warnings       things that work but surprise (never errors)
 */
public record Config(
        String path,
        Globals globals,
        List<Interface> interfaces,
        List<Route> routes,
        List<Strategy> strategies,
        List<Rule> rules,
        Map<String, String> networkDevices,
        List<Diagnostic> warnings) {

    public Config {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        strategies = List.copyOf(strategies);
        rules = List.copyOf(rules);
        networkDevices = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(networkDevices));
        warnings = List.copyOf(warnings);
    }

    public Optional<Interface> iface(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<Route> route(String name) {
        return routes.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<Strategy> strategy(String name) {
        return strategies.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Marks marks() {
        return new Marks(globals.mmxMask());
    }
}
