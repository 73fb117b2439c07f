package org.mwan4.config.uci;

import java.util.List;

/**
 * One logical line of a UCI file: the physical lines libuci reads as one (more than one when a value
 * has a backslash-newline continuation or a quoted newline), with the commands on it. Comment and
 * blank lines have no commands. {@code text.substring(start, end)} is the line's raw text, newline included.
 *
 * @param number 1-based number of the first physical line
 * @param brokenSection a {@code config} command on this line had a syntax error, so the options after it
 *                      belong to no section (and are not reported as being outside one)
 */
public record UciLine(int start, int end, int number, List<UciCommand> commands, boolean brokenSection) {
    public UciLine {
        commands = List.copyOf(commands);
    }
}
