package org.mwan4.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.mwan4.config.uci.UciCommand;
import org.mwan4.config.uci.UciDocument;
import org.mwan4.config.uci.UciLine;
import org.mwan4.config.uci.UciToken;
import org.mwan4.config.uci.UciWriter;

/**
 * mwan3 config -> mwan4 config (spec mwan4-readme "Migration from mwan3 to mwan4"), as edits of the text:
 * <ul>
 * <li>{@code config member} / {@code config policy} -> {@code config route} / {@code config strategy};</li>
 * <li>{@code use_member} / {@code use_policy} -> {@code use_route} / {@code use_strategy}, wherever they occur;</li>
 * <li>{@code option family 'ipv4'} -> {@code list family 'ipv4'};</li>
 * <li>{@code flush_conntrack 'always'} -> {@code list flush_conntrack 'ifup'} and {@code 'ifdown'};
 *     {@code 'never'} -> removed.</li>
 * </ul>
 * Everything else (comments, blank lines, quoting, order) stays byte for byte. Running it on its own output
 * changes nothing. Pure: text in, text out.
 */
public final class Mwan3Migration {
    private Mwan3Migration() {}

    private static final Map<String, String> SECTION_TYPES = Map.of("member", "route", "policy", "strategy");
    private static final Map<String, String> OPTION_NAMES = Map.of("use_member", "use_route", "use_policy", "use_strategy");

    /** One thing the migration changed, for the operator. */
    public record Change(int line, String description) {
        @Override
        public String toString() {
            return "line " + line + ": " + description;
        }
    }

    /** The migrated text and what changed (empty when there was nothing to do). */
    public record Result(String text, List<Change> changes) {
        public Result {
            changes = List.copyOf(changes);
        }

        public boolean changed() {
            return !changes.isEmpty();
        }
    }

    /**
     * Migrates mwan3 (or partly migrated) UCI text.
     *
     * @throws ConfigException when the text is not valid UCI syntax
     */
    public static Result migrate(String path, String text) throws ConfigException {
        return migrate(UciDocument.parse(path, text));
    }

    public static Result migrate(UciDocument doc) {
        List<UciDocument.Edit> edits = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (UciLine line : doc.lines()) {
            for (UciCommand c : line.commands()) {
                switch (c) {
                    case UciCommand.Package p -> { }
                    case UciCommand.Config cfg -> {
                        String to = SECTION_TYPES.get(cfg.type().value());
                        if (to != null) {
                            edits.add(rename(doc, cfg.type(), to));
                            changes.add(new Change(line.number(), "config " + cfg.type().value() + " -> config " + to
                                    + cfg.name().map(n -> " '" + n.value() + "'").orElse("")));
                        }
                    }
                    case UciCommand.Option o -> option(doc, line, o, edits, changes);
                }
            }
        }
        changes.sort(Comparator.comparingInt(Change::line));
        return new Result(doc.edit(edits), changes);
    }

    private static void option(UciDocument doc, UciLine line, UciCommand.Option o, List<UciDocument.Edit> edits, List<Change> changes) {
        String name = o.name().value();
        String value = o.value().map(UciToken::value).orElse("");
        String kind = o.list() ? "list" : "option";
        String newName = OPTION_NAMES.get(name);
        if (newName != null) {
            edits.add(rename(doc, o.name(), newName));
            changes.add(new Change(line.number(), kind + " " + name + " -> " + kind + " " + newName));
            return;
        }
        if (name.equals("flush_conntrack") && (value.equals("always") || value.equals("never"))) {
            if (value.equals("never")) {
                edits.add(removal(doc, line, o));
                changes.add(new Change(line.number(), kind + " flush_conntrack 'never' removed (no flushing is the default)"));
            } else {
                String indent = indent(doc, line);
                edits.add(new UciDocument.Edit(o.keyword().start(), end(o), "list flush_conntrack 'ifup'\n" + indent
                        + "list flush_conntrack 'ifdown'"));
                changes.add(new Change(line.number(), kind + " flush_conntrack 'always' -> list flush_conntrack 'ifup'"
                        + " and 'ifdown'"));
            }
            return;
        }
        if (name.equals("family") && !o.list() && !value.isBlank()) {
            List<String> words = List.of(value.trim().split("\\s+"));
            if (words.size() == 1) {
                edits.add(rename(doc, o.keyword(), "list"));
            } else {
                String indent = indent(doc, line);
                List<String> items = words.stream().map(w -> "list family " + UciWriter.quote(w)).toList();
                edits.add(new UciDocument.Edit(o.keyword().start(), end(o), String.join("\n" + indent, items)));
            }
            changes.add(new Change(line.number(), "option family '" + value + "' -> list family"));
        }
    }

    private static UciDocument.Edit rename(UciDocument doc, UciToken token, String to) {
        String raw = doc.text().substring(token.start(), token.end());
        return new UciDocument.Edit(token.start(), token.end(), UciWriter.requote(raw, to));
    }

    private static int end(UciCommand.Option o) {
        return o.value().map(UciToken::end).orElse(o.name().end());
    }

    /** The whole line when the command is all there is on it, else just the command. */
    private static UciDocument.Edit removal(UciDocument doc, UciLine line, UciCommand.Option o) {
        String before = doc.text().substring(line.start(), o.keyword().start());
        String after = doc.text().substring(end(o), line.end());
        if (line.commands().size() == 1 && before.isBlank() && after.isBlank()) {
            return new UciDocument.Edit(line.start(), line.end(), "");
        }
        return new UciDocument.Edit(o.keyword().start(), end(o), "");
    }

    private static String indent(UciDocument doc, UciLine line) {
        String raw = doc.raw(line);
        int i = 0;
        while (i < raw.length() && (raw.charAt(i) == ' ' || raw.charAt(i) == '\t')) {
            i++;
        }
        return raw.substring(0, i);
    }
}
