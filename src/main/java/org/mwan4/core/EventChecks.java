package org.mwan4.core;

import java.util.Optional;

/**
 * Finds events the edges should never send (a missing field, a route whose destination is of another family),
 * so the reducer can refuse them with a log line instead of failing half-way through a step.
 */
final class EventChecks {
    private EventChecks() {}

    /** What is wrong with the event, or empty when the reducer can take it. */
    static Optional<String> problem(Event event) {
        if (event.at() == null) {
            return missing("at");
        }
        return switch (event) {
            case Event.ConfigLoaded e -> e.path() == null ? missing("path") : e.text() == null ? missing("text") : ok();
            case Event.LinkChanged e -> link(e);
            case Event.LinkRemoved e -> e.name() == null ? missing("name") : ok();
            case Event.AddressAdded e -> e.address() == null ? missing("address") : ok();
            case Event.AddressRemoved e -> e.address() == null ? missing("address") : ok();
            case Event.RouteAdded e -> route(e.route());
            case Event.RouteRemoved e -> route(e.route());
            case Event.NetlinkResynced e -> resynced(e);
            case Event.ProbeRoundFinished e -> round(e);
            case Event.OperatorCommanded e -> e.command() == null ? missing("command")
                    : e.iface() == null && e.command() != Event.Command.RELOAD ? missing("iface") : ok();
            case Event.Ticked e -> ok();
            case Event.KernelApplyFailed e -> e.message() == null ? missing("message") : ok();
            case Event.ChainsMissing e -> ok();
            case Event.UseCgroupsPrepared e -> useCgroups(e);
            case Event.ShutdownRequested e -> ok();
            case Event.KernelStepApplied e -> ok();
        };
    }

    /** The path and names end up inside nft text in quotes: no quote, backslash or control character may reach it. */
    private static Optional<String> useCgroups(Event.UseCgroupsPrepared e) {
        if (e.directory() == null || e.nftPath() == null || e.problem() == null) {
            return missing(e.directory() == null ? "directory" : e.nftPath() == null ? "nftPath" : "problem");
        }
        if (e.problem().isEmpty() && (e.level() < 1 || !cgroupPath(e.nftPath()))) {
            return Optional.of("nftPath '" + e.nftPath() + "' with level " + e.level() + " is not a cgroup path nft can name");
        }
        for (String i : e.interfaces()) {
            if (i == null || !cgroupPath(i) || i.contains("/")) {
                return Optional.of("interface '" + i + "' is not a cgroup directory name");
            }
        }
        return ok();
    }

    private static boolean cgroupPath(String p) {
        return !p.isEmpty() && p.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-'
                || c == '.' || c == '/') && !p.startsWith("/") && !p.endsWith("/") && !p.contains("..") && !p.contains("//");
    }

    private static Optional<String> link(Event.LinkChanged e) {
        if (e.at() == null) {
            return missing("at");
        }
        return e.name() == null ? missing("name") : e.operstate() == null ? missing("operstate") : ok();
    }

    private static Optional<String> route(RouteFact r) {
        if (r == null) {
            return missing("route");
        }
        if (r.family() == null || r.destination() == null) {
            return missing(r.family() == null ? "route.family" : "route.destination");
        }
        if (r.destination().family() != r.family()) {
            return Optional.of("route destination " + r.destination() + " is not " + r.family().id());
        }
        return ok();
    }

    private static Optional<String> resynced(Event.NetlinkResynced e) {
        for (Event.LinkChanged l : e.links()) {
            Optional<String> p = link(l);
            if (p.isPresent()) {
                return p.map(m -> "links: " + m);
            }
        }
        for (Event.AddressAdded a : e.addresses()) {
            if (a.address() == null) {
                return missing("addresses: address");
            }
        }
        for (RouteFact r : e.routes()) {
            Optional<String> p = route(r);
            if (p.isPresent()) {
                return p.map(m -> "routes: " + m);
            }
        }
        return ok();
    }

    private static Optional<String> round(Event.ProbeRoundFinished e) {
        if (e.iface() == null || e.family() == null) {
            return missing(e.iface() == null ? "iface" : "family");
        }
        for (Event.TargetResult r : e.results()) {
            if (r.target() == null || r.status() == null) {
                return missing(r.target() == null ? "results: target" : "results: status");
            }
        }
        return ok();
    }

    private static Optional<String> missing(String field) {
        return Optional.of("field '" + field + "' is missing");
    }

    private static Optional<String> ok() {
        return Optional.empty();
    }
}
