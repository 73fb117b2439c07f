package org.mwan4.lab;

/** Something in the lab failed: a command, a namespace, a socket. The message says what, with which input. */
public final class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
