package org.mwan4.config.uci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mwan4.config.Diagnostic;
import org.mwan4.config.Position;

/**
 * The UCI file syntax exactly as OpenWrt's libuci reads it (file.c: uci_parse_line, next_arg, parse_str,
 * parse_single_quote, parse_double_quote, parse_backslash), ported step by step on the same in-place line
 * buffer so that its corner cases agree too:
 * <ul>
 * <li>a command word is split off at space/tab ({@code strtok(" \t")}) and may be abbreviated to its
 *     first letter ({@code c}, {@code o}, {@code l}, {@code p});</li>
 * <li>single quotes are literal; in double quotes and unquoted words a backslash takes the next
 *     character literally ({@code \n} is {@code n}), and a backslash before the end of the line joins
 *     the next line; quoted strings may span lines (the newline is part of the value);</li>
 * <li>adjacent quoted and unquoted parts form one argument ({@code 'a'"b"c} is {@code abc});</li>
 * <li>an unquoted {@code #} ends the line; {@code ;} ends a command so another may follow;</li>
 * <li>names (section and option) are letters, digits and {@code _}; a type is printable ASCII;</li>
 * <li>extra arguments are an error (libuci's strict mode, its default).</li>
 * </ul>
 * Where libuci stops at the first error, this parser records it and goes on with the next line, so a
 * file's syntax errors are all reported at once. Positions are file:line:column of the raw text.
 */
final class UciParser {
    private final String path;
    private final String text;
    private final UciSource source;
    private final List<UciLine> lines = new ArrayList<>();
    private final List<Diagnostic> errors = new ArrayList<>();

    // libuci's parse context: the logical line buffer (NUL-terminated), how much of it is filled, the cursor
    private char[] buf = new char[64];
    private int[] origin = new int[64]; // raw text offset of each buffer slot
    private int filled;
    private int pos;
    private int next; // raw offset of the next physical line
    private List<UciCommand> commands;
    private boolean inConfig; // parsing a config command, so an error there breaks its section

    /** Thrown to abandon the current logical line, as libuci's UCI_THROW does. */
    private static final class LineError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LineError() {
            super(null, null, false, false);
        }
    }

    private UciParser(String path, String text) {
        this.path = path;
        this.text = text;
        this.source = new UciSource(path, text);
    }

    record Result(List<UciLine> lines, List<Diagnostic> errors) {}

    static Result parse(String path, String text) {
        UciParser p = new UciParser(path, text);
        p.run();
        return new Result(List.copyOf(p.lines), List.copyOf(p.errors));
    }

    private void run() {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            // libuci reads lines with fgets and strlen, so a NUL byte silently cuts a line short; refuse instead.
            errors.add(Diagnostic.error(position(nul), "", "", "the file contains a NUL byte; a UCI file is text"));
            return;
        }
        while (next < text.length()) {
            int start = next;
            pos = 0;
            commands = new ArrayList<>();
            inConfig = false;
            getln(0);
            boolean broken = false;
            try {
                if (buf[0] != 0) {
                    parseLine();
                }
            } catch (LineError e) {
                // recorded in errors; the rest of this logical line is skipped
                broken = inConfig;
            }
            lines.add(new UciLine(start, next, lineOf(start), commands, broken));
        }
    }

    /** uci_getln: appends the next physical line (with its newline) to the buffer at {@code offset}. */
    private void getln(int offset) {
        if (next >= text.length()) {
            buf[offset] = 0;
            return;
        }
        int nl = text.indexOf('\n', next);
        int end = nl < 0 ? text.length() : nl + 1;
        int len = end - next;
        if (offset + len + 3 > buf.length) {
            int size = Math.max(buf.length * 2, offset + len + 3);
            buf = Arrays.copyOf(buf, size);
            origin = Arrays.copyOf(origin, size);
        }
        text.getChars(next, end, buf, offset);
        for (int i = 0; i < len; i++) {
            origin[offset + i] = next + i;
        }
        filled = offset + len;
        buf[filled] = 0;
        buf[filled + 1] = 0;
        // the end of the buffer maps to the line's last character, so "ends here" errors stay on this line
        origin[filled] = Math.max(next, end - 1);
        origin[filled + 1] = origin[filled];
        next = end;
    }

    private void parseLine() {
        skipWhitespace();
        while (true) {
            int s = pos;
            while (buf[s] == ' ' || buf[s] == '\t') {
                s++;
            }
            if (buf[s] == 0) {
                return;
            }
            int e = s;
            while (buf[e] != 0 && buf[e] != ' ' && buf[e] != '\t') {
                e++;
            }
            String word = new String(buf, s, e - s);
            UciToken keyword = token(word, s, e);
            if (word.charAt(0) == '#') {
                return;
            }
            String kind = switch (word) {
                case "p", "package" -> "package";
                case "c", "config" -> "config";
                case "o", "option" -> "option";
                case "l", "list" -> "list";
                default -> null;
            };
            inConfig = word.strip().equals("config") || word.strip().equals("c");
            if (kind == null) {
                String bare = word.strip();
                fail(s, switch (bare) {
                    case "p", "package", "c", "config", "o", "option", "l", "list" -> bare + " needs arguments";
                    default -> "invalid command '" + UciSource.printable(word) + "' (expected config, option, list or package)";
                });
            }
            // strtok put a NUL after the word; libuci then steps past it, or fails if the line ended there
            if (e + 1 > filled) {
                fail(e, kind + " without " + (kind.equals("config") ? "a type" : "a name"));
            }
            inConfig = kind.equals("config");
            buf[e] = 0;
            pos = e + 1;
            switch (kind) {
                case "package" -> parsePackage(keyword);
                case "config" -> parseConfig(keyword);
                default -> parseOption(keyword, kind.equals("list"));
            }
        }
    }

    private void parsePackage(UciToken keyword) {
        UciToken name = nextArg(true, true, true);
        assertEol();
        commands.add(new UciCommand.Package(keyword, name));
    }

    private void parseConfig(UciToken keyword) {
        UciToken type = nextArg(true, false, false);
        if (!validName(type.value(), false, false)) {
            fail(type, "section type '" + UciSource.printable(type.value()) + "' has an invalid character (printable ASCII without spaces)");
        }
        UciToken name = nextArg(false, true, false);
        assertEol();
        commands.add(new UciCommand.Config(keyword, type, name.value().isEmpty() ? Optional.empty() : Optional.of(name)));
    }

    private void parseOption(UciToken keyword, boolean list) {
        UciToken name = nextArg(true, true, false);
        UciToken value = nextArg(false, false, false);
        assertEol();
        commands.add(new UciCommand.Option(keyword, name, value.value().isEmpty() && value.start() == value.end()
                ? Optional.empty() : Optional.of(value), list));
    }

    /** next_arg: one argument; empty when the line (or command) has ended. */
    private UciToken nextArg(boolean required, boolean name, boolean pkg) {
        skipWhitespace();
        int val = pos;
        int rawStart = origin[val];
        int rawEnd;
        if (buf[pos] == ';') {
            buf[pos] = 0;
            pos++;
            rawEnd = rawStart;
        } else {
            rawEnd = parseStr(val);
        }
        String s = cstr(val);
        UciToken t = new UciToken(s, rawStart, rawEnd, position(rawStart));
        if (s.isEmpty()) {
            if (required) {
                fail(t, "insufficient arguments");
            }
            return t;
        }
        if (name && !validName(s, true, pkg)) {
            fail(t, "name '" + UciSource.printable(s) + "' has an invalid character (only letters, digits and _"
                    + (pkg ? " and -" : "") + ")");
        }
        return t;
    }

    /** parse_str: reads one argument into the buffer at {@code target}; returns the raw end offset. */
    private int parseStr(int target) {
        int[] t = {target};
        boolean more = true;
        int rawEnd = origin[pos];
        loop:
        do {
            switch (buf[pos]) {
                case '\'' -> parseSingleQuote(t);
                case '"' -> parseDoubleQuote(t);
                case '#' -> {
                    buf[pos] = 0;
                    break loop;
                }
                case 0 -> {
                    break loop;
                }
                case ';' -> {
                    more = false;
                    break loop;
                }
                case '\\' -> {
                    if (parseBackslash()) {
                        addc(t);
                    }
                }
                default -> addc(t);
            }
            rawEnd = origin[pos - 1] + 1;
        } while (buf[pos] != 0 && !isSpace(buf[pos]));
        if (buf[pos] != 0 && more) {
            pos++;
        }
        buf[t[0]] = 0;
        return rawEnd;
    }

    private void parseSingleQuote(int[] target) {
        int open = pos;
        pos++;
        while (true) {
            switch (buf[pos]) {
                case '\'' -> {
                    pos++;
                    return;
                }
                case 0 -> {
                    getln(pos);
                    if (buf[pos] == 0) {
                        fail(open, "unterminated ' (the file ends inside this quote)");
                    }
                }
                default -> addc(target);
            }
        }
    }

    private void parseDoubleQuote(int[] target) {
        int open = pos;
        pos++;
        while (true) {
            switch (buf[pos]) {
                case '"' -> {
                    pos++;
                    return;
                }
                case 0 -> {
                    getln(pos);
                    if (buf[pos] == 0) {
                        fail(open, "unterminated \" (the file ends inside this quote)");
                    }
                }
                case '\\' -> {
                    if (parseBackslash()) {
                        addc(target);
                    }
                }
                default -> addc(target);
            }
        }
    }

    /** parse_backslash: false when it joined the next line (nothing to add), true to add the next char as is. */
    private boolean parseBackslash() {
        pos++;
        if (buf[pos] == 0 || buf[pos] == '\n' || (buf[pos] == '\r' && buf[pos + 1] == '\n' && buf[pos + 2] == 0)) {
            getln(pos);
            return false;
        }
        return true;
    }

    private void addc(int[] target) {
        buf[target[0]++] = buf[pos++];
    }

    /** assert_eol in strict mode: anything left on the command is an error. */
    private void assertEol() {
        skipWhitespace();
        UciToken extra = nextArg(false, false, false);
        if (!extra.value().isEmpty()) {
            fail(extra, "too many arguments: '" + UciSource.printable(extra.value()) + "' (quote a value that contains spaces)");
        }
    }

    private void skipWhitespace() {
        while (buf[pos] != 0 && isSpace(buf[pos])) {
            pos++;
        }
    }

    private String cstr(int from) {
        int end = from;
        while (buf[end] != 0) {
            end++;
        }
        return new String(buf, from, end - from);
    }

    private UciToken token(String value, int bufStart, int bufEnd) {
        int raw = origin[bufStart];
        return new UciToken(value, raw, origin[bufEnd - 1] + 1, position(raw));
    }

    /** C isspace in the "C" locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** uci_validate_str: names are [A-Za-z0-9_] (packages also -); types any printable ASCII but space. */
    static boolean validName(String s, boolean name, boolean pkg) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (alnum || c == '_' || (c == '-' && pkg)) {
                continue;
            }
            if (name || c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }

    private void fail(UciToken at, String message) {
        errors.add(Diagnostic.error(at.position(), "", "", message));
        throw new LineError();
    }

    private void fail(int bufIndex, String message) {
        errors.add(Diagnostic.error(position(origin[bufIndex]), "", "", message));
        throw new LineError();
    }

    private Position position(int offset) {
        return source.position(offset);
    }

    private int lineOf(int offset) {
        return source.lineOf(offset);
    }
}
