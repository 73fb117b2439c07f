package org.mwan4.config.uci;

import java.util.List;

/**
 * An option of a section after libuci's rules: {@code option} replaces, {@code list} appends (turning an
 * earlier {@code option} of that name into the list's first item).
 *
 * @param position where the option's name was last written
 */
public record UciOption(String name, boolean list, List<UciValue> values, org.mwan4.config.Position position) {
    public UciOption {
        values = List.copyOf(values);
    }

    /** The value of an {@code option}, or the last item of a list. */
    public UciValue last() {
        return values.getLast();
    }
}
