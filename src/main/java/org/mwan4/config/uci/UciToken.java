package org.mwan4.config.uci;

import org.mwan4.config.Position;

/**
 * One argument of a UCI command after unquoting ({@code 'wan'} -> {@code wan}).
 *
 * @param value    the decoded text
 * @param start    offset of its first raw character (a quote, if quoted) in the document text
 * @param end      offset just past its last raw character
 * @param position file:line:column of {@code start}
 */
public record UciToken(String value, int start, int end, Position position) {}
