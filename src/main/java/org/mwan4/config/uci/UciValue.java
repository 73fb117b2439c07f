package org.mwan4.config.uci;

import org.mwan4.config.Position;

/** A value of an option or one item of a list, with where it was written. */
public record UciValue(String text, Position position) {
    @Override
    public String toString() {
        return text;
    }
}
