package org.mwan4.demo;

import java.io.PrintStream;

/** Where the live view goes: a terminal that is redrawn, or a plain stream that only gets new log lines. */
public sealed interface Screen {

    void show(Frame frame);

    /** Redraws the whole frame with two ANSI sequences (cursor home, erase below); no curses. */
    static Screen terminal(PrintStream out) {
        return new Terminal(out);
    }

    /** Prints each log line once, for pipes, logs and tests. */
    static Screen plain(PrintStream out) {
        return new Plain(out);
    }

    record Terminal(PrintStream out) implements Screen {
        @Override
        public void show(Frame frame) {
            out.print("\033[H\033[J" + frame.render());
            out.flush();
        }
    }

    final class Plain implements Screen {
        private final PrintStream out;
        private int printed;

        Plain(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void show(Frame frame) {
            for (int i = printed; i < frame.log().size(); i++) {
                out.println(frame.log().get(i));
            }
            printed = frame.log().size();
            out.flush();
        }
    }
}
