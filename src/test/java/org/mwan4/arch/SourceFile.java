package org.mwan4.arch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A Java source file as the architecture rules see it: its top-level mwan4 package and what it refers to. */
record SourceFile(String path, String pkg, String code, int lines) {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z][\\w]*\\.)+[A-Za-z_][\\w]*)");
    private static final Pattern MWAN4 = Pattern.compile("\\borg\\.mwan4\\.(\\w+)");

    static SourceFile of(String path, String text) {
        Matcher m = PACKAGE.matcher(text);
        String pkg = m.find() ? m.group(1) : "";
        int lines = (int) text.lines().count();
        return new SourceFile(path, pkg, withoutCommentsAndStrings(text), lines);
    }

    static List<SourceFile> under(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted()
                    .map(p -> of(root.relativize(p).toString(), read(p))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code config} for org.mwan4.config and org.mwan4.config.uci. */
    String layer() {
        Matcher m = MWAN4.matcher(pkg);
        return m.find() ? m.group(1) : "";
    }

    /** Every other mwan4 layer this file names, in imports or in qualified names in its code. */
    Set<String> layersUsed() {
        Set<String> out = new TreeSet<>();
        Matcher m = MWAN4.matcher(code.replaceFirst("package\\s+[\\w.]+;", ""));
        while (m.find()) {
            out.add(m.group(1));
        }
        out.remove(layer());
        return out;
    }

    /** Qualified names (imports and inline) that start with one of the prefixes. */
    Set<String> references(List<String> prefixes) {
        Set<String> out = new TreeSet<>();
        Matcher m = QUALIFIED.matcher(code);
        while (m.find()) {
            String name = m.group(1);
            for (String p : prefixes) {
                if (name.equals(p) || name.startsWith(p + ".")) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** Matches of a code pattern (comments and string literals are not code). */
    Set<String> matches(Pattern p) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(code);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Blanks out comments and string/char literals so that prose never counts as a dependency. */
    static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
