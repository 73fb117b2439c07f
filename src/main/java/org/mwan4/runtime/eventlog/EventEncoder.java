package org.mwan4.runtime.eventlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.mwan4.config.Cidr;
import org.mwan4.config.IpAddress;
import org.mwan4.core.Event;
import org.mwan4.core.LoggedEvent;
import org.mwan4.core.RouteFact;

/**
 * One event as one JSON line (docs/event-log.md): {@code seq}, {@code type} (the record's simple name) and
 * {@code at} first, then the record's fields in declaration order, every field always written (null when
 * absent). Addresses and prefixes are strings, prefixes always with their length ({@code 192.0.2.5/24}).
 * A pure function of the event: the same event gives the same bytes.
 */
public final class EventEncoder {
    private final JsonFactory json;

    public EventEncoder() {
        this.json = JsonFactory.builder().build();
    }

    /** The line without its trailing newline. */
    public String encode(LoggedEvent le) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = json.createGenerator(out)) {
            write(g, le.seq(), le.event());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + le.seq(), e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, long seq, Event event) throws IOException {
        g.writeStartObject();
        g.writeNumberField("seq", seq);
        g.writeStringField("type", event.getClass().getSimpleName());
        g.writeStringField("at", event.at().toString());
        switch (event) {
            case Event.ConfigLoaded e -> {
                g.writeStringField("path", e.path());
                g.writeStringField("text", e.text());
                g.writeStringField("networkPath", e.networkPath());
                g.writeStringField("networkText", e.networkText());
            }
            case Event.LinkChanged e -> link(g, e);
            case Event.LinkRemoved e -> {
                g.writeNumberField("ifindex", e.ifindex());
                g.writeStringField("name", e.name());
            }
            case Event.AddressAdded e -> address(g, e.ifindex(), e.address());
            case Event.AddressRemoved e -> address(g, e.ifindex(), e.address());
            case Event.RouteAdded e -> {
                g.writeFieldName("route");
                route(g, e.route());
            }
            case Event.RouteRemoved e -> {
                g.writeFieldName("route");
                route(g, e.route());
            }
            case Event.NetlinkResynced e -> {
                g.writeArrayFieldStart("links");
                for (Event.LinkChanged l : e.links()) {
                    g.writeStartObject();
                    g.writeStringField("at", l.at().toString());
                    link(g, l);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("addresses");
                for (Event.AddressAdded a : e.addresses()) {
                    g.writeStartObject();
                    g.writeStringField("at", a.at().toString());
                    address(g, a.ifindex(), a.address());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("routes");
                for (RouteFact r : e.routes()) {
                    route(g, r);
                }
                g.writeEndArray();
            }
            case Event.ProbeRoundFinished e -> {
                g.writeStringField("iface", e.iface());
                g.writeStringField("family", e.family().id());
                g.writeArrayFieldStart("results");
                for (Event.TargetResult r : e.results()) {
                    g.writeStartObject();
                    g.writeStringField("target", text(r.target()));
                    g.writeStringField("status", r.status().name().toLowerCase(Locale.ROOT));
                    number(g, "latencyMs", r.latencyMs());
                    g.writeNumberField("lossPercent", r.lossPercent());
                    number(g, "jitterMs", r.jitterMs());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case Event.OperatorCommanded e -> {
                g.writeStringField("command", e.command().name().toLowerCase(Locale.ROOT));
                g.writeStringField("iface", e.iface());
            }
            case Event.Ticked e -> { }
            case Event.KernelApplyFailed e -> g.writeStringField("message", e.message());
            case Event.ChainsMissing e -> {
                g.writeArrayFieldStart("missing");
                for (String m : e.missing()) {
                    g.writeString(m);
                }
                g.writeEndArray();
            }
            case Event.UseCgroupsPrepared e -> {
                g.writeStringField("directory", e.directory());
                g.writeStringField("nftPath", e.nftPath());
                g.writeNumberField("level", e.level());
                g.writeArrayFieldStart("interfaces");
                for (String i : e.interfaces()) {
                    g.writeString(i);
                }
                g.writeEndArray();
                g.writeStringField("problem", e.problem());
            }
            case Event.ShutdownRequested e -> g.writeBooleanField("keepRules", e.keepRules());
            case Event.KernelStepApplied e -> {
                g.writeNumberField("throughSeq", e.throughSeq());
                g.writeStringField("readBack", e.readBack());
            }
        }
        g.writeEndObject();
    }

    private static void link(JsonGenerator g, Event.LinkChanged e) throws IOException {
        g.writeNumberField("ifindex", e.ifindex());
        g.writeStringField("name", e.name());
        g.writeBooleanField("adminUp", e.adminUp());
        g.writeBooleanField("carrier", e.carrier());
        g.writeStringField("operstate", e.operstate());
    }

    private static void address(JsonGenerator g, int ifindex, Cidr address) throws IOException {
        g.writeNumberField("ifindex", ifindex);
        g.writeStringField("address", text(address));
    }

    private static void route(JsonGenerator g, RouteFact r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("table", r.table());
        g.writeStringField("family", r.family().id());
        g.writeStringField("destination", text(r.destination()));
        g.writeStringField("gateway", text(r.gateway()));
        g.writeNumberField("ifindex", r.ifindex());
        g.writeNumberField("metric", r.metric());
        g.writeStringField("type", r.type());
        g.writeNumberField("protocol", r.protocol());
        g.writeNumberField("scope", r.scope());
        g.writeStringField("source", text(r.source()));
        g.writeStringField("prefsrc", text(r.prefsrc()));
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, Double v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
            return;
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + v);
        }
        g.writeNumberField(field, v);
    }

    /** {@code 192.0.2.5/24}; a host prefix keeps its length too ({@code 192.0.2.5/32}), so no reader has to guess. */
    static String text(Cidr c) {
        return c == null ? null : c.address() + "/" + c.prefix();
    }

    static String text(IpAddress a) {
        return a == null ? null : a.toString();
    }
}
