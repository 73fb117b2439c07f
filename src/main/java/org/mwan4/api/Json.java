package org.mwan4.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The API's JSON: snake_case names, fields in record order, unknown fields ignored when reading (a newer daemon
 * may add some). One instance per server or client; ObjectMapper is thread-safe once configured.
 */
public final class Json {
    private final ObjectMapper mapper = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    /** Compact JSON text of a view record. */
    public String write(Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Indented JSON text, for {@code --json} on the command line. */
    public String pretty(Object view) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Parses a view record; malformed input throws {@link IllegalArgumentException} with Jackson's reason. */
    public <T> T read(String text, Class<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + " document: " + e.getOriginalMessage(), e);
        }
    }
}
