package org.mwan4.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.mwan4.config.uci.UciOption;
import org.mwan4.config.uci.UciSection;
import org.mwan4.config.uci.UciValue;

/**
 * Typed reads of one section's options. A bad value becomes an error in {@link Diagnostics} and the
 * default is used, so checking goes on and every problem is reported. Options nobody read are unknown.
 */
final class SectionReader {
    private static final Pattern DECIMAL_SECONDS = Pattern.compile("[0-9]{1,7}(\\.[0-9]{1,3})?");
    private static final Map<String, Boolean> BOOLEANS = booleans();

    private final UciSection section;
    private final Diagnostics diags;
    private final Set<String> known;

    /**
     * @param known every option this section type has (for "unknown option" and its suggestion)
     */
    SectionReader(UciSection section, Diagnostics diags, Set<String> known) {
        this.section = section;
        this.diags = diags;
        this.known = known;
    }

    UciSection section() {
        return section;
    }

    String subject() {
        return section.label();
    }

    void error(Position p, String option, String message) {
        diags.error(p, subject(), option, message);
    }

    void warning(Position p, String option, String message) {
        diags.warning(p, subject(), option, message);
    }

    /** Where an option's value is, else where the section starts. */
    Position at(String option) {
        return section.option(option).map(o -> o.last().position()).orElse(section.position());
    }

    /** Unknown options, each an error with a suggestion; {@code renamed} maps old spellings to a hint. */
    void checkUnknown(Map<String, String> renamed) {
        for (UciOption o : section.options()) {
            if (known.contains(o.name())) {
                continue;
            }
            String hint = renamed.containsKey(o.name()) ? " (" + renamed.get(o.name()) + ")" : Spelling.hint(o.name(), known);
            error(o.position(), o.name(), "unknown option '" + o.name() + "'" + hint);
        }
    }

    /** A single value; a {@code list} here is an error (the last item is used). */
    Optional<UciValue> single(String option) {
        Optional<UciOption> o = section.option(option);
        if (o.isPresent() && o.get().list() && o.get().values().size() > 1) {
            error(o.get().position(), option, option + " takes one value, not a list (use option " + option + " '...')");
        }
        return o.map(UciOption::last);
    }

    /**
     * The items of a list; an {@code option} counts as one item, or, with {@code splitWords}, as several
     * separated by spaces (mwan3 wrote {@code option src_ip '192.0.2.1 192.0.2.2'}).
     */
    List<UciValue> items(String option, boolean splitWords) {
        Optional<UciOption> o = section.option(option);
        if (o.isEmpty()) {
            return List.of();
        }
        List<UciValue> out = new ArrayList<>();
        for (UciValue v : o.get().values()) {
            if (splitWords && !o.get().list()) {
                for (String w : v.text().trim().split("[ \t\n]+")) {
                    if (!w.isEmpty()) {
                        out.add(new UciValue(w, v.position()));
                    }
                }
            } else {
                out.add(v);
            }
        }
        return out;
    }

    boolean present(String option) {
        return section.option(option).isPresent();
    }

    /** 0/1 as OpenWrt's config_get_bool reads them: 1 on true yes enabled / 0 off false no disabled. */
    boolean bool(String option, boolean dflt) {
        Optional<UciValue> v = single(option);
        if (v.isEmpty()) {
            return dflt;
        }
        Boolean b = BOOLEANS.get(v.get().text());
        if (b == null) {
            error(v.get().position(), option, option + " '" + v.get().text() + "' is not a boolean (use 0 or 1)");
            return dflt;
        }
        return b;
    }

    int integer(String option, int dflt, int min, int max) {
        Optional<UciValue> v = single(option);
        if (v.isEmpty()) {
            return dflt;
        }
        String s = v.get().text();
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            error(v.get().position(), option, option + " '" + s + "' is not a whole number (expected " + min + ".." + max + ")");
            return dflt;
        }
        long n = Long.parseLong(s);
        if (n < min || n > max) {
            error(v.get().position(), option, option + " " + s + " is out of range (" + min + ".." + max + ")");
            return dflt;
        }
        return (int) n;
    }

    /**
     * Seconds, with up to three decimals when {@code fractions} ({@code '0.2'} is 200 ms).
     *
     * @param min smallest allowed (inclusive); zero allowed only when min is zero
     */
    Duration seconds(String option, Duration dflt, boolean fractions, Duration min, Duration max) {
        Optional<UciValue> v = single(option);
        if (v.isEmpty()) {
            return dflt;
        }
        String s = v.get().text();
        boolean ok = DECIMAL_SECONDS.matcher(s).matches() && (fractions || s.indexOf('.') < 0);
        if (!ok && fractions && s.matches("[0-9]{1,7}\\.[0-9]{4,}")) {
            error(v.get().position(), option, option + " '" + s + "' has more than 3 decimals (milliseconds are"
                    + " the finest unit)");
            return dflt;
        }
        if (!ok) {
            error(v.get().position(), option, option + " '" + s + "' is not a number of seconds"
                    + (fractions ? " (e.g. 5 or 0.5)" : " (a whole number)"));
            return dflt;
        }
        Duration d = Duration.ofMillis(new BigDecimal(s).movePointRight(3).longValueExact());
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0 || (min.isZero() && d.isNegative())) {
            error(v.get().position(), option, option + " " + s + " is out of range (" + text(min) + ".." + text(max) + " seconds)");
            return dflt;
        }
        return d;
    }

    /** One of a fixed set of words; an unknown one gets a suggestion. */
    <E> E choice(String option, E dflt, Map<String, E> choices) {
        Optional<UciValue> v = single(option);
        if (v.isEmpty()) {
            return dflt;
        }
        E e = choices.get(v.get().text());
        if (e == null) {
            error(v.get().position(), option, option + " '" + v.get().text() + "' is not one of "
                    + String.join(", ", choices.keySet()) + Spelling.hint(v.get().text(), choices.keySet()));
            return dflt;
        }
        return e;
    }

    static String text(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Boolean> booleans() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (String t : List.of("1", "on", "true", "yes", "enabled")) {
            m.put(t, true);
        }
        for (String f : List.of("0", "off", "false", "no", "disabled")) {
            m.put(f, false);
        }
        return m;
    }
}
