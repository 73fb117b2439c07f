package org.mwan4.api;

import java.util.List;
import java.util.Optional;

/**
 * Every path the API serves, as data. {@link #match} turns path segments into one; a switch over the result
 * (no default) makes a new endpoint a compile error until it is served.
 */
sealed interface Endpoint {
    /** The one method the endpoint answers to; others get 405. */
    String method();

    record Status() implements Endpoint {
        public String method() { return "GET"; }
    }

    record Interfaces() implements Endpoint {
        public String method() { return "GET"; }
    }

    record InterfaceOne(String name) implements Endpoint {
        public String method() { return "GET"; }
    }

    /** POST /v1/interfaces/{name}/ifup ({@code up}) or .../ifdown. */
    record IfUpDown(String name, boolean up) implements Endpoint {
        public String method() { return "POST"; }
    }

    /** GET /v1/interfaces/{name}/use: the cgroup {@code mwan4 use} puts a command into. */
    record InterfaceUse(String name) implements Endpoint {
        public String method() { return "GET"; }
    }

    record Strategies() implements Endpoint {
        public String method() { return "GET"; }
    }

    record Rules() implements Endpoint {
        public String method() { return "GET"; }
    }

    record Connected() implements Endpoint {
        public String method() { return "GET"; }
    }

    record DesiredState() implements Endpoint {
        public String method() { return "GET"; }
    }

    record Reload() implements Endpoint {
        public String method() { return "POST"; }
    }

    record Plan() implements Endpoint {
        public String method() { return "POST"; }
    }

    record Events() implements Endpoint {
        public String method() { return "GET"; }
    }

    record Metrics() implements Endpoint {
        public String method() { return "GET"; }
    }

    /**
     * GET /v1/internal?family=ipv4|ipv6&amp;format=json|text: the kernel as the daemon sees it. The parameters come
     * as sent (null when absent); {@link Endpoints} checks them and names a bad one.
     */
    record Internal(String family, String format) implements Endpoint {
        public String method() { return "GET"; }
    }

    /** The endpoint of a decoded path ({@code /v1/interfaces/wan}), empty for an unknown one. */
    static Optional<Endpoint> match(List<String> s) {
        return match(s, java.util.Map.of());
    }

    /** {@link #match(List)} with the query's parameters (only {@code /v1/internal} reads any). */
    static Optional<Endpoint> match(List<String> s, java.util.Map<String, List<String>> query) {
        if (s.size() == 2 && s.get(0).equals("v1") && s.get(1).equals("internal")) {
            return Optional.of(new Internal(first(query, "family"), first(query, "format")));
        }
        if (s.size() == 1 && s.getFirst().equals("metrics")) {
            return Optional.of(new Metrics());
        }
        if (s.isEmpty() || !s.getFirst().equals("v1")) {
            return Optional.empty();
        }
        List<String> r = s.subList(1, s.size());
        if (r.size() == 1) {
            return switch (r.getFirst()) {
                case "status" -> Optional.of(new Status());
                case "interfaces" -> Optional.of(new Interfaces());
                case "strategies" -> Optional.of(new Strategies());
                case "rules" -> Optional.of(new Rules());
                case "connected" -> Optional.of(new Connected());
                case "desired" -> Optional.of(new DesiredState());
                case "reload" -> Optional.of(new Reload());
                case "plan" -> Optional.of(new Plan());
                case "events" -> Optional.of(new Events());
                default -> Optional.empty();
            };
        }
        if (r.size() == 2 && r.getFirst().equals("interfaces")) {
            return Optional.of(new InterfaceOne(r.get(1)));
        }
        if (r.size() == 3 && r.getFirst().equals("interfaces") && r.get(2).equals("use")) {
            return Optional.of(new InterfaceUse(r.get(1)));
        }
        if (r.size() == 3 && r.getFirst().equals("interfaces") && (r.get(2).equals("ifup") || r.get(2).equals("ifdown"))) {
            return Optional.of(new IfUpDown(r.get(1), r.get(2).equals("ifup")));
        }
        return Optional.empty();
    }

    private static String first(java.util.Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
