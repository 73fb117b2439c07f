package org.mwan4.config.uci;

import java.util.List;
import java.util.Optional;
import org.mwan4.config.Position;

/**
 * A section as libuci builds it. A named section declared twice is one section (libuci merges them);
 * {@link #declarations()} keeps every place it was declared so a checker can object.
 *
 * @param id           the section's uci name: its name, or for an anonymous section the one libuci makes up
 *                     ({@code cfg02a1b2}, see list.c uci_fixup_section) and scripts such as mwan3 use
 * @param index        0-based position among all sections of the same type: uci's {@code @type[index]}
 * @param declarations where each {@code config} line for it is, first one first
 */
public record UciSection(String type, Optional<String> name, String id, int index, List<Position> declarations, List<UciOption> options) {
    public UciSection {
        declarations = List.copyOf(declarations);
        options = List.copyOf(options);
    }

    public Position position() {
        return declarations.getFirst();
    }

    /** {@code route 'wan_m1_w3'} or, for an anonymous section, {@code rule @rule[2]}. */
    public String label() {
        return type + " " + name.map(n -> "'" + n + "'").orElse("@" + type + "[" + index + "]");
    }

    public Optional<UciOption> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }
}
