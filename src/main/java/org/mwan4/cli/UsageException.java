package org.mwan4.cli;

/** A wrong command line; the message names the argument. Exit code {@link ExitCode#INVALID}. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
