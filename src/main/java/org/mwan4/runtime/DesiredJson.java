package org.mwan4.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.plan.Desired;
import org.mwan4.plan.IpRoute;
import org.mwan4.plan.IpRule;
import org.mwan4.plan.NftChain;
import org.mwan4.plan.NftSet;

/**
 * A {@link Desired} as compact JSON text and back: the {@code readBack} of a {@code KernelStepApplied} event,
 * so a replay diffs against exactly what the daemon read from the kernel. Pure; {@code decode(encode(d))}
 * equals {@code d}. Prefixes always carry their length ({@code 192.0.2.5/32}).
 */
public final class DesiredJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DesiredJson() {}

    public static String encode(Desired d) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode sets = root.putArray("sets");
        for (NftSet s : d.sets().values()) {
            ObjectNode n = sets.addObject();
            n.put("name", s.name());
            n.put("keyType", s.keyType());
            n.put("interval", s.interval());
            n.put("timeoutSeconds", s.timeoutSeconds());
            n.put("managedElements", s.managedElements());
            ArrayNode el = n.putArray("elements");
            s.elements().forEach(c -> el.add(text(c)));
        }
        ArrayNode chains = root.putArray("chains");
        for (NftChain c : d.chains().values()) {
            ObjectNode n = chains.addObject();
            n.put("name", c.name());
            if (c.hook() == null) {
                n.putNull("hook");
            } else {
                ObjectNode h = n.putObject("hook");
                h.put("type", c.hook().type());
                h.put("hook", c.hook().hook());
                h.put("priority", c.hook().priority());
            }
            ArrayNode rules = n.putArray("rules");
            c.rules().forEach(rules::add);
        }
        ArrayNode rules = root.putArray("ipRules");
        for (IpRule r : d.ipRules()) {
            ObjectNode n = rules.addObject();
            n.put("family", r.family().id());
            n.put("priority", r.priority());
            n.put("iif", r.iif());
            n.put("fwmark", r.fwmark());
            n.put("fwmask", r.fwmask());
            n.put("action", r.action().name());
            n.put("table", r.table());
        }
        ArrayNode routes = root.putArray("routes");
        for (IpRoute r : d.routes()) {
            ObjectNode n = routes.addObject();
            n.put("table", r.table());
            n.put("destination", text(r.destination()));
            n.put("type", r.type());
            n.put("gateway", r.gateway() == null ? null : r.gateway().toString());
            n.put("device", r.device());
            n.put("metric", r.metric());
            n.put("source", r.source() == null ? null : text(r.source()));
            n.put("prefsrc", r.prefsrc() == null ? null : r.prefsrc().toString());
            n.put("protocol", r.protocol());
            n.put("scope", r.scope());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a kernel read-back: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the part that does not read */
    public static Desired decode(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("kernel read-back is not JSON: " + e.getOriginalMessage(), e);
        }
        TreeMap<String, NftSet> sets = new TreeMap<>();
        for (JsonNode n : root.path("sets")) {
            TreeSet<Cidr> elements = new TreeSet<>();
            n.path("elements").forEach(e -> elements.add(cidr(e.asText())));
            NftSet s = new NftSet(n.path("name").asText(), n.path("keyType").asText(), n.path("interval").asBoolean(),
                    n.path("timeoutSeconds").asInt(), elements, n.path("managedElements").asBoolean());
            sets.put(s.name(), s);
        }
        TreeMap<String, NftChain> chains = new TreeMap<>();
        for (JsonNode n : root.path("chains")) {
            JsonNode h = n.path("hook");
            NftChain.Hook hook = h.isObject()
                    ? new NftChain.Hook(h.path("type").asText(), h.path("hook").asText(), h.path("priority").asText()) : null;
            List<String> rules = new ArrayList<>();
            n.path("rules").forEach(r -> rules.add(r.asText()));
            chains.put(n.path("name").asText(), new NftChain(n.path("name").asText(), hook, rules));
        }
        TreeSet<IpRule> ipRules = new TreeSet<>();
        for (JsonNode n : root.path("ipRules")) {
            ipRules.add(new IpRule(Family.parse(n.path("family").asText()).orElseThrow(
                    () -> new IllegalArgumentException("kernel read-back: ip rule family '" + n.path("family").asText() + "'")),
                    n.path("priority").asInt(), n.path("iif").asText(), n.path("fwmark").asInt(), n.path("fwmask").asInt(),
                    IpRule.Action.valueOf(n.path("action").asText()), n.path("table").asInt()));
        }
        TreeSet<IpRoute> routes = new TreeSet<>();
        for (JsonNode n : root.path("routes")) {
            routes.add(new IpRoute(n.path("table").asInt(), cidr(n.path("destination").asText()), n.path("type").asText(),
                    n.path("gateway").isNull() ? null : address(n.path("gateway").asText()), n.path("device").asText(),
                    n.path("metric").asInt(), n.path("source").isNull() ? null : cidr(n.path("source").asText()),
                    n.path("prefsrc").isNull() ? null : address(n.path("prefsrc").asText()), n.path("protocol").asInt(),
                    n.path("scope").asInt()));
        }
        return new Desired(sets, chains, ipRules, routes);
    }

    private static String text(Cidr c) {
        return c.address() + "/" + c.prefix();
    }

    private static Cidr cidr(String s) {
        return Cidr.parse(s).orElseThrow(() -> new IllegalArgumentException("kernel read-back: '" + s + "' is not a prefix"));
    }

    private static IpAddress address(String s) {
        return IpAddress.parse(s).orElseThrow(() -> new IllegalArgumentException("kernel read-back: '" + s + "' is not an address"));
    }
}
