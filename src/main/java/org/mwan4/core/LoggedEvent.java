package org.mwan4.core;

/** An event with its sequence number in the event log (1, 2, 3, ...): one line of {@code events.jsonl}. */
public record LoggedEvent(long seq, Event event) {
    public LoggedEvent {
        if (event == null) {
            throw new IllegalArgumentException("event " + seq + " is null");
        }
    }
}
