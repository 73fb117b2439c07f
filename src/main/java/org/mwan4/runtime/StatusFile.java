package org.mwan4.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.mwan4.config.Config;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;
import org.mwan4.config.Route;
import org.mwan4.config.Strategy;
import org.mwan4.core.State;
import org.mwan4.core.StatusSnapshot;
import org.mwan4.core.TrackerStatus;

/**
 * {@code /var/run/mwan4.json}: what pbr and scripts read (spec/mwan3-to-mwan4-analysis.md section 3.6).
 *
 * <pre>
 * {"interfaces": [{"name": "wan1", "enabled": true, "status": "online", "device": "eth0",
 *                  "gateway_ipv4": "192.0.2.1", "gateway_ipv6": null, "table_id": 1, "mark": "0x0100",
 *                  "priority": 2001, "ipv4": {"status": "online", ...}}],
 *  "strategies": [{"name": "balanced", "members": ["wan1", "wan2"], "last_resort": "unreachable", ...}],
 *  "policies": [... the same as "strategies", the name pbr reads ...]}
 * </pre>
 * Field order is fixed and the text depends on the state only, so an unchanged state is not rewritten.
 */
public final class StatusFile {
    /** The ip rule pref that sends an interface's marked traffic to its table: 2000 + id. */
    static final int FWMARK_RULE_BASE = 2000;

    private final Path path;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StatusFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Writes the file atomically when its text changed. */
    public boolean write(State state) throws IOException {
        return AtomicFiles.write(path, render(state));
    }

    public void remove() throws IOException {
        Files.deleteIfExists(path);
    }

    /** The file's text for a state. */
    public String render(State state) {
        ObjectNode root = json.createObjectNode();
        ArrayNode ifaces = root.putArray("interfaces");
        StatusSnapshot snapshot = StatusSnapshot.of(state);
        for (StatusSnapshot.InterfaceStatus i : snapshot.interfaces()) {
            ifaces.add(iface(i));
        }
        ArrayNode strategies = root.putArray("strategies");
        if (state.config() != null) {
            for (Strategy s : state.config().strategies()) {
                strategies.add(strategy(state.config(), s));
            }
        }
        root.set("policies", strategies.deepCopy());
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the status file: " + e.getOriginalMessage(), e);
        }
    }

    private ObjectNode iface(StatusSnapshot.InterfaceStatus i) {
        ObjectNode n = json.createObjectNode();
        n.put("name", i.name());
        n.put("enabled", i.enabled());
        n.put("status", overall(i));
        n.put("device", i.device());
        n.put("gateway_ipv4", gateway(i, Family.IPV4));
        n.put("gateway_ipv6", gateway(i, Family.IPV6));
        n.put("table_id", i.table());
        n.put("mark", String.format(Locale.ROOT, "0x%04x", i.mark()));
        n.put("priority", FWMARK_RULE_BASE + i.id());
        n.put("operator_down", i.operatorDown());
        for (StatusSnapshot.FamilyStatus f : i.families()) {
            ObjectNode fam = n.putObject(f.family().id());
            fam.put("status", f.status().id());
            fam.put("tracking", f.tracking().id());
            fam.put("score", f.score());
            fam.put("lost", f.lost());
            fam.put("turn", f.turn());
            fam.put("online_since", f.onlineSince() == null ? null : f.onlineSince().toString());
            fam.put("offline_since", f.offlineSince() == null ? null : f.offlineSince().toString());
            fam.put("gateway", text(f.gateway()));
            ArrayNode targets = fam.putArray("targets");
            for (StatusSnapshot.TargetStatus t : f.targets()) {
                ObjectNode tn = targets.addObject();
                tn.put("ip", t.target().toString());
                tn.put("status", t.status().id());
                tn.put("latency_ms", t.latencyMs());
                tn.put("loss_percent", t.lossPercent());
                tn.put("jitter_ms", t.jitterMs());
            }
        }
        return n;
    }

    /** One word for pbr: online when any family is online, else the first family's status. */
    static String overall(StatusSnapshot.InterfaceStatus i) {
        if (!i.enabled()) {
            return TrackerStatus.DISABLED.id();
        }
        if (i.families().stream().anyMatch(f -> f.status() == TrackerStatus.ONLINE)) {
            return TrackerStatus.ONLINE.id();
        }
        return i.families().isEmpty() ? TrackerStatus.UNKNOWN.id() : i.families().getFirst().status().id();
    }

    private static String gateway(StatusSnapshot.InterfaceStatus i, Family f) {
        return i.families().stream().filter(x -> x.family() == f).findFirst().map(x -> text(x.gateway())).orElse(null);
    }

    private ObjectNode strategy(Config c, Strategy s) {
        ObjectNode n = json.createObjectNode();
        n.put("name", s.name());
        Set<String> members = new LinkedHashSet<>();
        ArrayNode routes = json.createArrayNode();
        for (String r : s.routes()) {
            c.route(r).ifPresent(route -> {
                members.add(route.iface());
                routes.add(route(route));
            });
        }
        ArrayNode m = n.putArray("members");
        members.forEach(m::add);
        n.put("last_resort", s.lastResort().name().toLowerCase(Locale.ROOT));
        n.set("routes", routes);
        return n;
    }

    private ObjectNode route(Route r) {
        ObjectNode n = json.createObjectNode();
        n.put("name", r.name());
        n.put("interface", r.iface());
        n.put("metric", r.metric());
        n.put("weight", r.weight());
        return n;
    }

    private static String text(IpAddress a) {
        return a == null ? null : a.toString();
    }
}
