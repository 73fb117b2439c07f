package org.mwan4.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments split into flags ({@code --in-place}), options with a value ({@code --network FILE}
 * or {@code --network=FILE}) and positionals, checked against the command's {@link Command.Help}.
 */
final class Args {
    private final Set<String> flags;
    private final Map<String, String> values;
    private final List<String> positionals;

    private Args(Set<String> flags, Map<String, String> values, List<String> positionals) {
        this.flags = flags;
        this.values = values;
        this.positionals = positionals;
    }

    static Args parse(Command.Help help, List<String> args) throws UsageException {
        Map<String, Command.Option> known = new LinkedHashMap<>();
        help.options().forEach(o -> known.put(o.flag(), o));
        Set<String> flags = new java.util.TreeSet<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean onlyPositionals = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (onlyPositionals || !a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositionals = true;
                continue;
            }
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            Command.Option o = known.get(flag);
            if (o == null) {
                throw new UsageException("unknown option '" + flag + "'" + hint(flag, known.keySet()));
            }
            if (o.argument().isEmpty()) {
                if (a.contains("=")) {
                    throw new UsageException("option " + flag + " takes no value");
                }
                flags.add(flag);
            } else if (a.contains("=")) {
                values.put(flag, a.substring(a.indexOf('=') + 1));
            } else if (i + 1 < args.size()) {
                values.put(flag, args.get(++i));
            } else {
                throw new UsageException("option " + flag + " needs a value (" + o.argument() + ")");
            }
        }
        return new Args(flags, values, positionals);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    List<String> positionals() {
        return positionals;
    }

    /** Exactly one positional argument, described as {@code what} in the message when missing or extra. */
    String single(String what) throws UsageException {
        if (positionals.isEmpty()) {
            throw new UsageException("missing argument " + what);
        }
        if (positionals.size() > 1) {
            throw new UsageException("unexpected argument '" + positionals.get(1) + "' (only one " + what + ")");
        }
        return positionals.getFirst();
    }

    /** The value of a required option; a clear usage error naming it when absent. */
    String required(String name) throws UsageException {
        return value(name).orElseThrow(() -> new UsageException("missing option " + name));
    }

    /** Fails when positional arguments were given to a command that takes none. */
    void noPositionals() throws UsageException {
        if (!positionals.isEmpty()) {
            throw new UsageException("unexpected argument '" + positionals.getFirst() + "'");
        }
    }

    private static String hint(String word, Set<String> known) {
        return org.mwan4.config.Spelling.hint(word, known);
    }
}
