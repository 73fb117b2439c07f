package org.mwan4.runtime;

import java.io.IOException;
import org.mwan4.core.LoggedEvent;

/** Where the loop appends every event before it reduces it (the event log). */
public interface EventJournal extends AutoCloseable {

    /** Appends one line; returns once it reached the operating system (not necessarily the disk). */
    void append(LoggedEvent event) throws IOException;

    /** Bytes written so far, over every file (for metrics). */
    long bytesWritten();

    @Override
    void close() throws IOException;

    /** A journal that keeps nothing (the event log switched off). */
    static EventJournal none() {
        return new EventJournal() {
            @Override
            public void append(LoggedEvent event) {}

            @Override
            public long bytesWritten() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }
}
