// Shows the runner's per-second status: rewritten in place on a terminal, every fifth line in a log.
package io.pgmux.loadtest.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/** On a terminal one line is overwritten each second; redirected output gets a line every five seconds. */
final class ProgressPrinter implements Consumer<String> {
    private final PrintStream out;
    private final boolean terminal;
    private int lines;

    ProgressPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void accept(String line) {
        if (terminal) {
            out.print("\r" + line + "   ");
            out.flush();
        } else if (lines++ % 5 == 0) {
            out.println(line);
        }
    }

    /** Ends the in-place line before other output. */
    synchronized void finishLine() {
        if (terminal) {
            out.println();
        }
        lines = 0;
    }
}
