package org.mwan4.runtime;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;

/**
 * One log event as one JSON line ({@code mwan4 run --log-json}), for log shippers:
 * <pre>{"time":"2026-01-01T10:00:00.123Z","level":"WARN","logger":"org.mwan4.core","thread":"mwan4-loop","message":"..."}</pre>
 * An exception adds {@code "error"} with its stack trace. Written with Jackson's generator, so every string is
 * escaped; no extra dependency.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    private final JsonFactory json = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent e) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            g.writeStringField("level", e.getLevel().toString());
            g.writeStringField("logger", e.getLoggerName());
            g.writeStringField("thread", e.getThreadName());
            g.writeStringField("message", e.getFormattedMessage());
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException x) {
            return "{\"level\":\"ERROR\",\"message\":\"cannot encode a log line: " + x.getClass().getSimpleName() + "\"}\n";
        }
        return out + "\n";
    }
}
