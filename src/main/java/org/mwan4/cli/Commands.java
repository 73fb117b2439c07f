package org.mwan4.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registry of subcommands, in the order {@code mwan4 --help} lists them. */
final class Commands {
    private final Map<String, Command> byName = new LinkedHashMap<>();

    /** Every mwan4 command. Adding a command is one line here. */
    static Commands standard() {
        Commands c = new Commands();
        c.add(new CheckCommand());
        c.add(new MigrateCommand());
        c.add(new StatusCommand(System.getenv(), System.console() != null));
        c.add(ShowCommand.interfaces(System.getenv()));
        c.add(ShowCommand.strategies(System.getenv()));
        c.add(ShowCommand.rules(System.getenv()));
        c.add(ShowCommand.connected(System.getenv()));
        c.add(new InternalCommand(System.getenv()));
        c.add(new InterfaceCommand(true, System.getenv()));
        c.add(new InterfaceCommand(false, System.getenv()));
        c.add(new UseCommand(System.getenv()));
        c.add(new ReloadCommand(System.getenv()));
        c.add(new PlanCommand(System.getenv()));
        c.add(new ExplainCommand(System.getenv()));
        c.add(new RenderCommand());
        c.add(new ReplayCommand());
        c.add(new RunCommand());
        c.add(new DemoCommand());
        c.add(new HelpCommand(c));
        return c;
    }

    void add(Command command) {
        String name = command.help().name();
        if (byName.putIfAbsent(name, command) != null) {
            throw new IllegalStateException("two commands named " + name);
        }
    }

    Command find(String name) throws UsageException {
        Command c = byName.get(name);
        if (c == null) {
            throw new UsageException("unknown command '" + name + "'"
                    + org.mwan4.config.Spelling.hint(name, byName.keySet()) + "; 'mwan4 --help' lists them");
        }
        return c;
    }

    void printOverview(PrintStream out) {
        out.println("Usage: mwan4 COMMAND [OPTIONS] [ARGUMENTS]");
        out.println();
        out.println("mwan4 is a multi-WAN controller: it tracks the health of each WAN and balances and fails");
        out.println("traffic over between them with nftables and policy routing.");
        out.println();
        out.println("Commands:");
        int width = byName.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Command c : byName.values()) {
            out.printf("  %-" + width + "s  %s%n", c.help().name(), c.help().summary());
        }
        out.println();
        out.println("Run 'mwan4 COMMAND --help' for a command's options.");
        out.println("Exit codes: 0 ok, 1 internal error, 2 invalid config or usage, 3 daemon not running.");
    }

    void printHelp(Command c, PrintStream out) {
        Command.Help h = c.help();
        out.println("Usage: mwan4 " + h.name() + (h.options().isEmpty() ? "" : " [OPTIONS]")
                + (h.arguments().isEmpty() ? "" : " " + h.arguments()));
        out.println();
        out.println(h.summary().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + h.summary().substring(1) + ".");
        if (!h.details().isBlank()) {
            out.println();
            out.println(h.details().strip());
        }
        out.println();
        out.println("Options:");
        int width = h.options().stream().mapToInt(o -> label(o).length()).max().orElse(0);
        width = Math.max(width, "-h, --help".length());
        for (Command.Option o : h.options()) {
            out.printf("  %-" + width + "s  %s%n", label(o), o.description());
        }
        out.printf("  %-" + width + "s  %s%n", "-h, --help", "show this help");
    }

    private static String label(Command.Option o) {
        return o.flag() + (o.argument().isEmpty() ? "" : " " + o.argument());
    }
}
