package org.mwan4.cli;

/** Process exit codes of every mwan4 command. */
public final class ExitCode {
    private ExitCode() {}

    public static final int OK = 0;
    /** A bug or an unexpected failure (the message says what). */
    public static final int INTERNAL = 1;
    /** The config is invalid, or the command line is wrong (the message names the argument). */
    public static final int INVALID = 2;
    /** The command needs the daemon and it is not running. */
    public static final int NOT_RUNNING = 3;
}
