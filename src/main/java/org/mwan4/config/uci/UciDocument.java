package org.mwan4.config.uci;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mwan4.config.ConfigException;
import org.mwan4.config.Diagnostic;

/**
 * A parsed UCI file that remembers its text: the logical lines (comments and blank lines included) with the
 * commands on them, and the sections libuci would build from them. {@link #write()} gives back the exact
 * input; {@link #edit(List)} changes only the spans it is told to, so a migration keeps comments, blank
 * lines, quoting and order.
 */
public record UciDocument(String path, String text, List<UciLine> lines, List<UciSection> sections) {

    public UciDocument {
        lines = List.copyOf(lines);
        sections = List.copyOf(sections);
    }

    /**
     * Parses UCI text. Pure: the caller reads the file.
     *
     * @throws ConfigException with every syntax error found, each with file:line
     */
    public static UciDocument parse(String path, String text) throws ConfigException {
        UciParser.Result r = UciParser.parse(path, text);
        List<Diagnostic> errors = new ArrayList<>(r.errors());
        List<UciSection> sections = UciTree.build(r.lines(), errors);
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt((Diagnostic d) -> d.position().line()).thenComparingInt(d -> d.position().column()));
            throw new ConfigException(errors);
        }
        return new UciDocument(path, text, r.lines(), sections);
    }

    /** The file text, rebuilt line by line from the model: byte-identical to the parsed input. */
    public String write() {
        StringBuilder sb = new StringBuilder(text.length());
        for (UciLine l : lines) {
            sb.append(text, l.start(), l.end());
        }
        return sb.toString();
    }

    /** The raw text of one logical line, newline included. */
    public String raw(UciLine line) {
        return text.substring(line.start(), line.end());
    }

    public List<UciSection> sections(String type) {
        return sections.stream().filter(s -> s.type().equals(type)).toList();
    }

    /** Replace {@code [start, end)} of the text with {@code replacement}. */
    public record Edit(int start, int end, String replacement) {}

    /**
     * The text with non-overlapping edits applied (any order given). Everything outside them stays as it was.
     *
     * @throws IllegalArgumentException when two edits overlap
     */
    public String edit(List<Edit> edits) {
        List<Edit> sorted = edits.stream().sorted(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end)).toList();
        StringBuilder sb = new StringBuilder(text.length() + 64);
        int at = 0;
        for (Edit e : sorted) {
            if (e.start() < at || e.end() < e.start() || e.end() > text.length()) {
                throw new IllegalArgumentException("overlapping or bad edit " + e);
            }
            sb.append(text, at, e.start()).append(e.replacement());
            at = e.end();
        }
        return sb.append(text, at, text.length()).toString();
    }
}
