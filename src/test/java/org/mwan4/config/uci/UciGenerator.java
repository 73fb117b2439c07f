package org.mwan4.config.uci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random UCI files that libuci accepts, each with the sections it must parse to. Values use every quoting
 * style (single, double, unquoted with backslashes, mixes of them), multi-line quotes, continuations,
 * comments, blank lines, CRLF, abbreviations and {@code ;} separators.
 */
final class UciGenerator {
    private static final String VALUE_CHARS = "abcXYZ019 _-.:/@'\"\\#;\t\n$`{}[]()!é€";
    private final Random random;

    UciGenerator(long seed) {
        this.random = new Random(seed);
    }

    record Generated(String text, String expected) {}

    Generated next() {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        Map<String, Integer> perType = new LinkedHashMap<>();
        int sections = random.nextInt(6);
        trivia(text);
        for (int s = 0; s < sections; s++) {
            String type = pick("interface", "route", "rule", "x-type", "t.1");
            boolean named = random.nextInt(4) != 0;
            String name = named ? "n" + s + "_" + random.nextInt(100) : null;
            int index = perType.merge(type, 1, Integer::sum) - 1;
            text.append(indent()).append(pick("config", "c")).append(' ').append(encode(type, false));
            if (named) {
                text.append(' ').append(encode(name, false));
            }
            end(text);
            StringBuilder line = new StringBuilder(type + " " + (named ? name : "@" + index) + ":");
            List<String> opts = new ArrayList<>();
            int options = random.nextInt(5);
            for (int o = 0; o < options; o++) {
                trivia(text);
                String optName = "o" + o + (random.nextBoolean() ? "_x" : "");
                if (random.nextBoolean()) {
                    String v = value(false);
                    text.append(indent()).append(pick("option", "o")).append(' ').append(encode(optName, false))
                            .append(' ').append(encode(v, false));
                    opts.add(" " + optName + "=" + v);
                } else {
                    int n = 1 + random.nextInt(3);
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        String v = value(true);
                        items.add(v);
                        text.append(indent()).append(pick("list", "l")).append(' ').append(encode(optName, false))
                                .append(' ').append(encode(v, true));
                        if (i < n - 1 && random.nextInt(4) == 0) {
                            text.append(" ; ");
                        } else if (i < n - 1) {
                            end(text);
                        }
                    }
                    opts.add(" " + optName + "=[" + String.join(", ", items) + "]");
                }
                end(text);
            }
            expected.add(line + String.join(";", opts));
        }
        trivia(text);
        if (random.nextInt(5) == 0 && text.length() > 0 && text.charAt(text.length() - 1) == '\n') {
            text.setLength(text.length() - 1); // no newline at the end
            if (text.length() > 0 && text.charAt(text.length() - 1) == '\r') {
                text.setLength(text.length() - 1);
            }
        }
        return new Generated(text.toString(), String.join("\n", expected));
    }

    private String value(boolean mayBeEmpty) {
        int len = (mayBeEmpty ? 0 : 1) + random.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(VALUE_CHARS.charAt(random.nextInt(VALUE_CHARS.length())));
        }
        return sb.toString();
    }

    /** The value as one UCI argument, in random chunks of random quoting styles. */
    private String encode(String v, boolean mayBeEmpty) {
        if (v.isEmpty()) {
            return random.nextBoolean() ? "''" : "\"\"";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < v.length()) {
            int j = Math.min(v.length(), i + 1 + random.nextInt(4));
            String chunk = v.substring(i, j);
            int style = random.nextInt(3);
            if (style == 0 && chunk.indexOf('\'') < 0) {
                out.append('\'').append(chunk).append('\'');
            } else if (style == 1 || chunk.indexOf('\n') >= 0) {
                out.append('"').append(chunk.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                for (char c : chunk.toCharArray()) {
                    if (" \t'\"\\#;".indexOf(c) >= 0) {
                        out.append('\\');
                    }
                    out.append(c);
                    if (random.nextInt(12) == 0) {
                        out.append("\\\n"); // continuation: joins the next line, adds nothing
                    }
                }
            }
            i = j;
        }
        return out.toString();
    }

    private void trivia(StringBuilder text) {
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(3)) {
                case 0 -> text.append(indent()).append("# comment ").append(value(true).replace('\n', ' ').replace('\r', ' '));
                case 1 -> text.append(indent());
                default -> { }
            }
            end(text);
        }
    }

    private void end(StringBuilder text) {
        if (random.nextInt(4) == 0) {
            text.append(" # ").append(value(true).replace('\n', ' '));
        }
        text.append(random.nextInt(6) == 0 ? "\r\n" : "\n");
    }

    private String indent() {
        return pick("", "\t", "  ", " \t ");
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
