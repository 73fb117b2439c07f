package org.mwan4.runtime.eventlog;

/**
 * A line of an event log that cannot be read. The message names the place exactly:
 * {@code events.jsonl:123: unknown event type 'linkup'}; a replay stops there.
 */
public final class EventLogException extends Exception {
    private final String source;
    private final long line;
    private final String problem;

    public EventLogException(String source, long line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    /** The file as the caller named it. */
    public String source() {
        return source;
    }

    /** 1-based line number. */
    public long line() {
        return line;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }
}
