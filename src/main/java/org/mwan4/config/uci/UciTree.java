package org.mwan4.config.uci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mwan4.config.Diagnostic;
import org.mwan4.config.Position;

/**
 * Builds sections from commands with libuci's rules (list.c: uci_set, uci_add_list, uci_add_section):
 * <ul>
 * <li>{@code config TYPE 'NAME'} for a name already used re-opens that section (options merge); with a
 *     different type it is an error (strict mode);</li>
 * <li>{@code option N V} replaces N; {@code option N ''} deletes it;</li>
 * <li>{@code list N V} appends; after an {@code option N} the old value becomes the list's first item.</li>
 * </ul>
 */
final class UciTree {
    private UciTree() {}

    private static final class Building {
        final String type;
        final Optional<String> name;
        final String id;
        final int index;
        final List<Position> declarations = new ArrayList<>();
        final Map<String, UciOption> options = new LinkedHashMap<>();

        Building(String type, Optional<String> name, String id, int index) {
            this.type = type;
            this.name = name;
            this.id = id;
            this.index = index;
        }

        UciSection done() {
            return new UciSection(type, name, id, index, declarations, List.copyOf(options.values()));
        }
    }

    static List<UciSection> build(List<UciLine> lines, List<Diagnostic> errors) {
        List<Building> sections = new ArrayList<>();
        Map<String, Building> named = new LinkedHashMap<>();
        Map<String, Integer> perType = new LinkedHashMap<>();
        Building current = null;
        boolean broken = false; // the last config command failed: skip its options quietly
        int counter = 0; // libuci's package n_section
        for (UciLine line : lines) {
            if (line.brokenSection()) {
                current = null;
                broken = true;
            }
            for (UciCommand c : line.commands()) {
                switch (c) {
                    case UciCommand.Package p -> { }
                    case UciCommand.Config cfg -> {
                        String type = cfg.type().value();
                        Optional<String> name = cfg.name().map(UciToken::value);
                        Building existing = name.map(named::get).orElse(null);
                        if (existing != null && !existing.type.equals(type)) {
                            errors.add(Diagnostic.error(cfg.type().position(), "", "",
                                    "section '" + name.get() + "' of type " + type + " reuses the name of the "
                                            + existing.type + " section at " + existing.declarations.getFirst().fileLine()
                                            + " (uci section names are shared by all types)"));
                            current = null;
                            broken = true;
                            continue;
                        }
                        broken = false;
                        if (existing != null) {
                            existing.declarations.add(cfg.keyword().position());
                            current = existing;
                            continue;
                        }
                        int index = perType.merge(type, 1, Integer::sum) - 1;
                        // the counter counts every new section, named or not: the bridge device after
                        // network's 'loopback' and 'globals' is the well-known network.cfg030f15
                        counter++;
                        current = new Building(type, name, name.orElse(anonymousId(counter, type)), index);
                        current.declarations.add(cfg.keyword().position());
                        sections.add(current);
                        name.ifPresent(n -> named.put(n, sections.getLast()));
                    }
                    case UciCommand.Option o -> {
                        if (current == null) {
                            if (!broken) {
                                errors.add(Diagnostic.error(o.keyword().position(), "", "",
                                        (o.list() ? "list" : "option") + " '" + o.name().value()
                                                + "' comes before the first config section"));
                            }
                            continue;
                        }
                        apply(current, o);
                    }
                }
            }
        }
        return sections.stream().map(Building::done).toList();
    }

    /** uci_fixup_section: {@code cfg%02x%04x} of the counter and djbhash(type) (no options yet when it runs). */
    static String anonymousId(int counter, String type) {
        int hash = 5381;
        for (int i = 0; i < type.length(); i++) {
            hash = (hash << 5) + hash + (byte) type.charAt(i);
        }
        hash &= 0x7FFFFFFF;
        return String.format("cfg%02x%04x", counter, hash % (1 << 16));
    }

    private static void apply(Building s, UciCommand.Option o) {
        String name = o.name().value();
        String value = o.value().map(UciToken::value).orElse("");
        Position at = o.value().filter(v -> v.end() > v.start()).map(UciToken::position).orElse(o.name().position());
        UciOption old = s.options.get(name);
        if (!o.list()) {
            s.options.remove(name);
            if (!value.isEmpty()) {
                s.options.put(name, new UciOption(name, false, List.of(new UciValue(value, at)), o.name().position()));
            }
            return;
        }
        List<UciValue> values = new ArrayList<>();
        if (old != null) {
            values.addAll(old.values());
        }
        values.add(new UciValue(value, at));
        if (old != null && old.list()) {
            s.options.put(name, new UciOption(name, true, values, o.name().position()));
        } else {
            s.options.remove(name);
            s.options.put(name, new UciOption(name, true, values, o.name().position()));
        }
    }
}
