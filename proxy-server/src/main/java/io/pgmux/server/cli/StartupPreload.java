// Loads what every serving process needs, on a second thread, while the main thread reads the command line.
package io.pgmux.server.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.transport.Transport;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import org.slf4j.LoggerFactory;

/**
 * Start-up work that depends on no setting, done beside the main thread while it parses the command line and the
 * configuration, which take about a third of the time to the first client (docs/BENCHMARKS.md, start-up after the
 * fourth wave): the {@link ProcessDefaults}, and with them the logging set-up, probing the native transports,
 * Netty's buffer allocator and bootstrap, the metrics registry and the JCA providers of SCRAM. Each is what the
 * server does anyway a moment later; done here first, the server finds the classes loaded and initialised. Nothing
 * built here is kept. It moves work onto a second core rather than removing it: it pays when one is free.
 *
 * <p>Hazard: two threads initialising classes that depend on each other's static initialisers can deadlock, so the
 * main thread must not touch these libraries while the preload runs: {@link #await} is called before the server is
 * built, and the command line and configuration code use none of them.
 */
final class StartupPreload {
    /** A preload that never ran (the tests, which build commands of their own): awaiting it returns at once. */
    static final StartupPreload NONE = new StartupPreload(null);

    /** Null for {@link #NONE}. */
    private final Thread thread;

    private StartupPreload(Thread thread) {
        this.thread = thread;
    }

    /** Starts the preload; the process defaults are applied on its thread before anything else touches Netty. */
    static StartupPreload start() {
        Thread thread = new Thread(StartupPreload::run, "pgmux-preload");
        thread.setDaemon(true); // --help, --version and convert exit without waiting for it
        thread.start();
        return new StartupPreload(thread);
    }

    /** Waits until the preload is done; the server may then touch every library it uses. */
    void await() throws InterruptedException {
        if (thread != null) {
            thread.join();
        }
    }

    private static void run() {
        ProcessDefaults.apply(); // first: Netty reads its settings once, and this sets up logging
        try {
            Transport.best(); // loads the io_uring or epoll native library: the server's default transport
            ByteBufAllocator.DEFAULT.buffer(64).release();
            new ServerBootstrap();
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
            Mac.getInstance("HmacSHA256"); // the JCA providers every SCRAM login looks up
            MessageDigest.getInstance("SHA-256");
        } catch (RuntimeException | LinkageError | GeneralSecurityException e) {
            // Only time is lost: the server does the same work itself and reports what fails there.
            LoggerFactory.getLogger(StartupPreload.class).debug("start-up preload stopped early", e);
        }
    }
}
