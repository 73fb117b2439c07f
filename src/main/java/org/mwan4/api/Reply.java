package org.mwan4.api;

import java.util.List;
import org.mwan4.api.view.ErrorView;

/** One complete (non-streaming) HTTP answer. */
record Reply(int status, String contentType, String body, List<String> allow) {
    static final String JSON = "application/json";

    Reply {
        allow = List.copyOf(allow);
    }

    static Reply json(int status, String body) {
        return new Reply(status, JSON, body + "\n", List.of());
    }

    static Reply error(Json json, int status, String message, String field) {
        return json(status, json.write(ErrorView.of(message, field)));
    }

    static Reply error(Json json, int status, String message, String field, List<String> known) {
        return json(status, json.write(new ErrorView(message, field, known)));
    }
}
