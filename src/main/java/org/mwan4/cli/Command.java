package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code mwan4} subcommand. Output goes only to the given streams and the result is an exit code, so
 * tests run commands in-process.
 */
public interface Command {

    /** How {@code mwan4 --help} and {@code mwan4 CMD --help} describe a command. */
    record Help(String name, String arguments, String summary, List<Option> options, String details) {
        public Help {
            options = List.copyOf(options);
        }
    }

    /** One option of a command: {@code --network FILE}, {@code --in-place}. */
    record Option(String flag, String argument, String description) {}

    Help help();

    /**
     * The arguments that are this command's own, where {@code --help} means "help for this command": all up to a
     * {@code --}. A command that runs another command ({@code use}) stops where that command's arguments start.
     */
    default List<String> ownArguments(List<String> args) {
        int end = args.indexOf("--");
        return end < 0 ? args : args.subList(0, end);
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @return an {@link ExitCode}
     * @throws UsageException when the arguments are wrong
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws UsageException;
}
