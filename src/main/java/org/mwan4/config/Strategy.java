package org.mwan4.config;

import java.util.List;

/** {@code config strategy 'balanced'} (mwan3: policy): routes in order and what to do when none is online. */
public record Strategy(String name, List<String> routes, LastResort lastResort, Position position) {
    public enum LastResort { UNREACHABLE, BLACKHOLE, DEFAULT }

    public Strategy {
        routes = List.copyOf(routes);
    }
}
