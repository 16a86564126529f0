package io.pgmux.server.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP (reload) and SIGTERM/SIGINT (drain and stop) for the command line. The handlers run on a thread of their
 * own, so a slow drain never blocks the JVM's signal dispatcher. Where a signal cannot be handled (e.g. on a
 * platform without it) this is logged and the default action stays.
 */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    static void onReload(Runnable action) {
        handle("HUP", action);
    }

    static void onTerminate(Runnable action) {
        handle("TERM", action);
        handle("INT", action);
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received", name);
                Thread worker = new Thread(action, "pgmux-sig" + name.toLowerCase(java.util.Locale.ROOT));
                worker.setDaemon(false);
                worker.start();
            });
        } catch (IllegalArgumentException e) {
            log.warn("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }
}
