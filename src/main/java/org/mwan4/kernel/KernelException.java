package org.mwan4.kernel;

/** A kernel call failed; the message says what, with which input, and the kernel's reason. */
public class KernelException extends RuntimeException {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
