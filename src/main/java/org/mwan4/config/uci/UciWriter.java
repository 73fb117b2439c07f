package org.mwan4.config.uci;

import java.util.List;

/**
 * Writes UCI text the way {@code uci export} does: values in single quotes, a {@code '} inside a value as
 * {@code '\''} (libuci's uci_escape). Used for new lines a migration adds and for canonical output.
 */
public final class UciWriter {
    private UciWriter() {}

    /** {@code wan} -> {@code 'wan'}; {@code it's} -> {@code 'it'\''s'}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * The same value in the quoting style of {@code raw} (an existing token's raw text), so an edit keeps
     * the file's look: {@code member} -> {@code route}, {@code 'member'} -> {@code 'route'}.
     */
    public static String requote(String raw, String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == ':' || c == '/');
        if (raw.startsWith("\"") && value.chars().noneMatch(c -> c == '"' || c == '\\')) {
            return "\"" + value + "\"";
        }
        if (!raw.startsWith("'") && !raw.startsWith("\"") && plain) {
            return value;
        }
        return quote(value);
    }

    /** One option line: {@code \toption name 'value'\n}. */
    public static String option(String indent, String name, String value) {
        return indent + "option " + name + " " + quote(value) + "\n";
    }

    /** One list line: {@code \tlist name 'value'\n}. */
    public static String listItem(String indent, String name, String value) {
        return indent + "list " + name + " " + quote(value) + "\n";
    }

    /** The sections as {@code uci export} prints them (no package header): for canonical files and tests. */
    public static String export(List<UciSection> sections) {
        StringBuilder sb = new StringBuilder();
        for (UciSection s : sections) {
            sb.append("\nconfig ").append(s.type());
            s.name().ifPresent(n -> sb.append(' ').append(quote(n)));
            sb.append('\n');
            for (UciOption o : s.options()) {
                for (UciValue v : o.values()) {
                    sb.append(o.list() ? listItem("\t", o.name(), v.text()) : option("\t", o.name(), v.text()));
                }
            }
        }
        return sb.append('\n').toString();
    }
}
