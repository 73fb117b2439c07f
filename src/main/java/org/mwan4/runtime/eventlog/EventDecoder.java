package org.mwan4.runtime.eventlog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.RouteFact;

/**
 * One JSON line back into an event (docs/event-log.md). Strict: every required field present with the right
 * type, no unknown fields, no duplicate fields, nothing after the object. A problem is a {@link BadField}
 * naming the event type and field; the reader adds the file and line.
 */
final class EventDecoder {
    /** The type tags: each event record's simple name. */
    static final List<String> TYPES = java.util.Arrays.stream(Event.class.getPermittedSubclasses())
            .map(Class::getSimpleName).toList();

    private final ObjectMapper json = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    LoggedEvent decode(String line) throws BadField {
        JsonNode node = parse(line);
        if (!node.isObject()) {
            throw new BadField("a line must be one JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonFields top = new JsonFields(node, "");
        long seq = top.positiveLong("seq");
        String type = top.string("type");
        if (!TYPES.contains(type)) {
            throw new BadField("unknown event type '" + type + "'");
        }
        JsonFields f = top.named(type);
        Instant at = f.instant("at");
        Event e = switch (type) {
            case "ConfigLoaded" -> new Event.ConfigLoaded(at, f.string("path"), f.string("text"),
                    f.nullableString("networkPath"), f.nullableString("networkText"));
            case "LinkChanged" -> link(f, at);
            case "LinkRemoved" -> new Event.LinkRemoved(at, ifindex(f), f.string("name"));
            case "AddressAdded" -> new Event.AddressAdded(at, ifindex(f), f.prefix("address"));
            case "AddressRemoved" -> new Event.AddressRemoved(at, ifindex(f), f.prefix("address"));
            case "RouteAdded" -> new Event.RouteAdded(at, route(f.object("route")));
            case "RouteRemoved" -> new Event.RouteRemoved(at, route(f.object("route")));
            case "NetlinkResynced" -> resynced(f, at);
            case "ProbeRoundFinished" -> probeRound(f, at);
            case "OperatorCommanded" -> new Event.OperatorCommanded(at, f.choice("command", Event.Command.class), f.string("iface"));
            case "Ticked" -> new Event.Ticked(at);
            case "KernelApplyFailed" -> new Event.KernelApplyFailed(at, f.string("message"));
            case "ChainsMissing" -> new Event.ChainsMissing(at, f.strings("missing"));
            case "UseCgroupsPrepared" -> new Event.UseCgroupsPrepared(at, f.string("directory"), f.string("nftPath"),
                    f.integer("level", 0, 64), f.strings("interfaces"), f.string("problem"));
            case "ShutdownRequested" -> new Event.ShutdownRequested(at, f.bool("keepRules"));
            case "KernelStepApplied" -> new Event.KernelStepApplied(at, f.positiveLong("throughSeq"), f.nullableString("readBack"));
            default -> throw new BadField("unknown event type '" + type + "'"); // over a String, not the sealed type
        };
        f.noOthers();
        return new LoggedEvent(seq, e);
    }

    private JsonNode parse(String line) throws BadField {
        try (JsonParser p = json.createParser(line)) {
            JsonNode node = json.readTree(p);
            if (node == null) {
                throw new BadField("bad JSON: the line is empty");
            }
            if (p.nextToken() != null) {
                throw new BadField("bad JSON: more text after the object");
            }
            return node;
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null || e.getLocation().getColumnNr() < 1 ? ""
                    : " at column " + e.getLocation().getColumnNr();
            throw new BadField("bad JSON" + column + ": " + e.getOriginalMessage().lines().findFirst().orElse("unreadable"));
        } catch (IOException e) {
            throw new BadField("bad JSON: " + e.getMessage());
        }
    }

    private static int ifindex(JsonFields f) throws BadField {
        return f.integer("ifindex", 1, Integer.MAX_VALUE);
    }

    private static Event.LinkChanged link(JsonFields f, Instant at) throws BadField {
        return new Event.LinkChanged(at, ifindex(f), f.string("name"), f.bool("adminUp"), f.bool("carrier"),
                f.string("operstate"));
    }

    private static RouteFact route(JsonFields f) throws BadField {
        int table = f.integer("table", 0, Integer.MAX_VALUE);
        Family family = f.family("family");
        Cidr destination = f.prefix("destination");
        if (destination.family() != family) {
            throw f.bad("destination", "is " + destination.family().id() + " but family is " + family.id());
        }
        RouteFact r = new RouteFact(table, family, destination, f.nullableAddress("gateway"),
                f.integer("ifindex", 0, Integer.MAX_VALUE), f.integer("metric", 0, Integer.MAX_VALUE), f.string("type"),
                f.integer("protocol", 0, 255), f.integer("scope", 0, 255), f.nullablePrefix("source"),
                f.nullableAddress("prefsrc"));
        f.noOthers();
        return r;
    }

    private static Event.NetlinkResynced resynced(JsonFields f, Instant at) throws BadField {
        List<Event.LinkChanged> links = new ArrayList<>();
        for (JsonFields l : f.objects("links")) {
            links.add(link(l, l.instant("at")));
            l.noOthers();
        }
        List<Event.AddressAdded> addresses = new ArrayList<>();
        for (JsonFields a : f.objects("addresses")) {
            addresses.add(new Event.AddressAdded(a.instant("at"), ifindex(a), a.prefix("address")));
            a.noOthers();
        }
        List<RouteFact> routes = new ArrayList<>();
        for (JsonFields r : f.objects("routes")) {
            routes.add(route(r));
        }
        return new Event.NetlinkResynced(at, links, addresses, routes);
    }

    private static Event.ProbeRoundFinished probeRound(JsonFields f, Instant at) throws BadField {
        String iface = f.string("iface");
        Family family = f.family("family");
        List<Event.TargetResult> results = new ArrayList<>();
        for (JsonFields r : f.objects("results")) {
            results.add(new Event.TargetResult(r.address("target"), r.choice("status", Event.TargetStatus.class),
                    r.nullableMillis("latencyMs"), r.integer("lossPercent", 0, 100), r.nullableMillis("jitterMs")));
            r.noOthers();
        }
        return new Event.ProbeRoundFinished(at, iface, family, results);
    }
}
