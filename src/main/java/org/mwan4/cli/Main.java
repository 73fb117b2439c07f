package org.mwan4.cli;

import java.io.PrintStream;
import java.util.List;

/** The {@code mwan4} command: dispatches to a {@link Command} and turns the outcome into an exit code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(List.of(args), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line in-process; returns the exit code ({@link ExitCode}). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(Commands.standard(), args, out, err);
    }

    static int run(Commands commands, List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            commands.printOverview(err);
            err.println();
            err.println("mwan4: missing COMMAND");
            return ExitCode.INVALID;
        }
        String first = args.getFirst();
        if (first.equals("--help") || first.equals("-h")) {
            commands.printOverview(out);
            return ExitCode.OK;
        }
        Command command;
        try {
            command = commands.find(first);
        } catch (UsageException e) {
            err.println("mwan4: " + e.getMessage());
            return ExitCode.INVALID;
        }
        List<String> rest = args.subList(1, args.size());
        List<String> options = command.ownArguments(rest);
        if (options.contains("--help") || options.contains("-h")) {
            commands.printHelp(command, out);
            return ExitCode.OK;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("mwan4 " + first + ": " + e.getMessage());
            err.println("Run 'mwan4 " + first + " --help' for usage.");
            return ExitCode.INVALID;
        } catch (RuntimeException e) {
            err.println("mwan4 " + first + ": internal error: " + e + " (this is a bug; please report it with the trace below)");
            e.printStackTrace(err);
            return ExitCode.INTERNAL;
        }
    }
}
