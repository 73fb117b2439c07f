package org.mwan4.runtime.eventlog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.mwan4.config.Cidr;
import org.mwan4.config.Family;
import org.mwan4.config.IpAddress;

/**
 * The fields of one JSON object of an event line, read with messages that name the event type and field:
 * {@code LinkChanged: field 'ifindex' must be an integer}. Remembers what was read, so fields nobody asked
 * for are reported ({@link #noOthers}). Nullable fields may be null or left out; the others must be there.
 */
final class JsonFields {
    private final JsonNode node;
    private final String where;
    private final TreeSet<String> used;

    /** @param where how messages name the object: {@code LinkChanged}, {@code ProbeRoundFinished results[2]}; empty for a line whose type is not known yet */
    JsonFields(JsonNode node, String where) {
        this(node, where, new TreeSet<>());
    }

    private JsonFields(JsonNode node, String where, TreeSet<String> used) {
        this.node = node;
        this.where = where;
        this.used = used;
    }

    /** The same object, named differently in messages (once its type is known). */
    JsonFields named(String name) {
        return new JsonFields(node, name, used);
    }

    private JsonNode required(String name) throws BadField {
        used.add(name);
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw bad(name, "is missing");
        }
        return v;
    }

    private JsonNode optional(String name) {
        used.add(name);
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    BadField bad(String name, String problem) {
        return new BadField(prefix() + "field '" + name + "' " + problem);
    }

    String string(String name) throws BadField {
        JsonNode v = required(name);
        if (!v.isTextual()) {
            throw bad(name, "must be a string");
        }
        return v.textValue();
    }

    String nullableString(String name) throws BadField {
        JsonNode v = optional(name);
        if (v != null && !v.isTextual()) {
            throw bad(name, "must be a string or null");
        }
        return v == null ? null : v.textValue();
    }

    int integer(String name, int min, int max) throws BadField {
        JsonNode v = required(name);
        if (!v.isIntegralNumber()) {
            throw bad(name, "must be an integer");
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw bad(name, "must be an integer from " + min + " to " + max + ", got " + v.asText());
        }
        return v.intValue();
    }

    long positiveLong(String name) throws BadField {
        JsonNode v = required(name);
        if (!v.isIntegralNumber()) {
            throw bad(name, "must be an integer");
        }
        if (!v.canConvertToLong() || v.longValue() < 1) {
            throw bad(name, "must be an integer from 1 to " + Long.MAX_VALUE + ", got " + v.asText());
        }
        return v.longValue();
    }

    boolean bool(String name) throws BadField {
        JsonNode v = required(name);
        if (!v.isBoolean()) {
            throw bad(name, "must be true or false");
        }
        return v.booleanValue();
    }

    /** A finite number >= 0, or null. */
    Double nullableMillis(String name) throws BadField {
        JsonNode v = optional(name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0) {
            throw bad(name, "must be a number of milliseconds >= 0, or null");
        }
        return v.doubleValue();
    }

    Instant instant(String name) throws BadField {
        String s = string(name);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw bad(name, "must be a UTC time like 2026-11-22T04:00:00.123Z, got '" + s + "'");
        }
    }

    Family family(String name) throws BadField {
        String s = string(name);
        return Family.parse(s).orElseThrow(() -> bad(name, "must be 'ipv4' or 'ipv6', got '" + s + "'"));
    }

    IpAddress address(String name) throws BadField {
        String s = string(name);
        return IpAddress.parse(s).orElseThrow(() -> bad(name, "must be an IP address like 192.0.2.1 or 2001:db8::1, got '" + s + "'"));
    }

    IpAddress nullableAddress(String name) throws BadField {
        String s = nullableString(name);
        return s == null ? null : IpAddress.parse(s)
                .orElseThrow(() -> bad(name, "must be an IP address like 192.0.2.1 or 2001:db8::1, or null, got '" + s + "'"));
    }

    Cidr prefix(String name) throws BadField {
        String s = string(name);
        return Cidr.parse(s).orElseThrow(() -> bad(name, "must be an address with its prefix length like 192.0.2.5/24, got '" + s + "'"));
    }

    Cidr nullablePrefix(String name) throws BadField {
        String s = nullableString(name);
        return s == null ? null : Cidr.parse(s)
                .orElseThrow(() -> bad(name, "must be an address with its prefix length like 192.0.2.0/24, or null, got '" + s + "'"));
    }

    /** A lower-case enum constant name: {@code up}, {@code ifdown}. */
    <E extends Enum<E>> E choice(String name, Class<E> type) throws BadField {
        String s = string(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add("'" + e.name().toLowerCase(Locale.ROOT) + "'");
        }
        throw bad(name, "must be one of " + String.join(", ", names) + ", got '" + s + "'");
    }

    /** The elements of an array field, each an object read with its own {@link JsonFields}. */
    List<JsonFields> objects(String name) throws BadField {
        JsonNode v = required(name);
        if (!v.isArray()) {
            throw bad(name, "must be an array");
        }
        List<JsonFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode el = v.get(i);
            if (!el.isObject()) {
                throw bad(name, "must hold objects, element " + i + " is not one");
            }
            out.add(new JsonFields(el, where + " " + name + "[" + i + "]"));
        }
        return out;
    }

    List<String> strings(String name) throws BadField {
        JsonNode v = required(name);
        if (!v.isArray()) {
            throw bad(name, "must be an array");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw bad(name, "must hold strings, element " + i + " is not one");
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    JsonFields object(String name) throws BadField {
        JsonNode v = required(name);
        if (!v.isObject()) {
            throw bad(name, "must be an object");
        }
        return new JsonFields(v, where + " " + name);
    }

    /** Fails on the first field (in line order) that nothing read. */
    void noOthers() throws BadField {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!used.contains(n)) {
                throw new BadField(prefix() + "unknown field '" + n + "'");
            }
        }
    }

    private String prefix() {
        return where.isEmpty() ? "" : where + ": ";
    }
}
