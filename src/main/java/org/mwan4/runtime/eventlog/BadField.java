package org.mwan4.runtime.eventlog;

/** A field of one line is missing or invalid; the reader adds file and line. */
final class BadField extends Exception {
    BadField(String message) {
        super(message, null, false, false);
    }
}
