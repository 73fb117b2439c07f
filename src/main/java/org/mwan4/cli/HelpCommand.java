package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code mwan4 help [COMMAND]}. */
final class HelpCommand implements Command {
    private final Commands commands;

    HelpCommand(Commands commands) {
        this.commands = commands;
    }

    @Override
    public Help help() {
        return new Help("help", "[COMMAND]", "list the commands, or describe one", List.of(), "");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(help(), args);
        if (a.positionals().isEmpty()) {
            commands.printOverview(out);
            return ExitCode.OK;
        }
        String name = a.single("COMMAND");
        commands.printHelp(commands.find(name), out);
        return ExitCode.OK;
    }
}
