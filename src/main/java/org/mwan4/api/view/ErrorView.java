package org.mwan4.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Every 4xx/5xx answer: {@code {"error":"unknown interface 'wna'","field":"name","known":["wan","wanb"]}}.
 *
 * @param field the request part that is wrong (path segment, parameter or body), null when none is to blame
 * @param known the valid choices when the request named an unknown one, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorView(String error, String field, List<String> known) {
    public static ErrorView of(String error, String field) {
        return new ErrorView(error, field, null);
    }
}
