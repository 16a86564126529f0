// Warms a just-started pgmux up with synthetic clients before it reports ready.
package io.pgmux.server.warmup;

import io.pgmux.config.ConfigLoader;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.auth.ScramSecret;
import io.pgmux.server.PgmuxServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A just-started JVM runs pgmux's code interpreted until the JIT has compiled it, so the first storm a new replica
 * meets is served many times slower than the next one (docs/BENCHMARKS.md). The warm-up takes that cost before
 * readiness: a private pgmux ({@link PrivateServerConfig}) in front of a {@link ScriptedBackend}, through which
 * {@value #THREADS} threads run {@value #LOGINS} {@link SyntheticClient}s, or as many as fit in {@code warmup}. The JIT compiles
 * methods, not instances, so the real listener's logins and relays run the compiled code afterwards. PostgreSQL
 * is never contacted, so the warm-up works while it is away and adds nothing to its load.
 *
 * <p>With client TLS configured, every {@value #TLS_EVERY}th synthetic client asks for TLS, so that the handshake
 * with the real certificate is compiled too.
 */
public final class WarmUp {
    /**
     * The synthetic clients of a whole warm-up. On the 2-core reference machine 8,000 took 14 s and left a storm's
     * first second slower than a warm pgmux's by about 5x (transaction p95); 16,000 did no better (docs/BENCHMARKS.md).
     */
    static final int LOGINS = 8000;
    private static final int THREADS = 4;
    private static final int MAX_FAILURES = 16;
    private static final int TLS_EVERY = 4;
    private static final String NAME = "pgmux_warmup";
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private final PgmuxConfig config;
    private final int logins;
    private final CompletableFuture<Result> finished = new CompletableFuture<>();

    /** What a warm-up did. */
    public record Result(int logins, int tlsLogins, int statements, int failures, Duration took) {
    }

    /** @param config the real configuration: its transport, event-loop count and {@code warmup} bound are used */
    public WarmUp(PgmuxConfig config) {
        this(config, LOGINS);
    }

    /** A warm-up of {@code logins} synthetic clients instead of {@value #LOGINS}. */
    WarmUp(PgmuxConfig config, int logins) {
        this.config = config;
        this.logins = logins;
    }

    /** Completes when the warm-up is over; never exceptionally (a failed warm-up is logged and ends it). */
    public CompletableFuture<Result> finished() {
        return finished;
    }

    /** Runs the warm-up on its own thread. */
    public void begin() {
        Thread thread = new Thread(this::run, "pgmux-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long started = System.nanoTime();
        try {
            Result result = warm(started + config.fleet().warmup().toNanos(), started);
            log.info("warm-up done in {} ms: {} synthetic logins ({} with TLS), {} statements{}; ready",
                    result.took().toMillis(), result.logins(), result.tlsLogins(), result.statements(),
                    result.failures() == 0 ? "" : ", " + result.failures() + " failed");
            finished.complete(result);
        } catch (Exception | Error e) {
            log.warn("warm-up stopped: {}; ready anyway", e.toString());
            finished.complete(new Result(0, 0, 0, 1, Duration.ofNanos(System.nanoTime() - started)));
        }
    }

    private Result warm(long deadline, long started) throws Exception {
        String password = randomText();
        // PostgreSQL's default iteration count, so that pgmux's backend login runs the PBKDF2 it will run for real.
        try (ScriptedBackend backend = ScriptedBackend.start(ScramSecret.fromPassword(password))) {
            PgmuxServer server = PgmuxServer.unannounced(
                    ConfigLoader.fromYaml(PrivateServerConfig.yaml(config, backend.port(), NAME, password)));
            try {
                server.start();
                return load(server.port(), password, deadline, started);
            } finally {
                server.close();
            }
        }
    }

    private Result load(int port, String password, long deadline, long started) throws Exception {
        SSLSocketFactory tls = PrivateServerConfig.usesTls(config.auth().clientTls()) ? LoopbackTls.socketFactory()
                : null;
        AtomicInteger claimed = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger tlsCompleted = new AtomicInteger();
        AtomicInteger statements = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            threads[t] = new Thread(() -> {
                SyntheticClient client = new SyntheticClient(port, NAME, NAME, password);
                // Failures end the warm-up early rather than being retried until the bound.
                int turn;
                while (System.nanoTime() < deadline && failures.get() < MAX_FAILURES
                        && (turn = claimed.getAndIncrement()) < logins) {
                    // A handshake costs a few logins' worth: only every TLS_EVERY-th client asks for TLS.
                    boolean withTls = tls != null && turn % TLS_EVERY == 0;
                    try {
                        statements.addAndGet(client.run(withTls ? tls : null));
                        completed.incrementAndGet();
                        if (withTls) {
                            tlsCompleted.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                }
            }, "pgmux-warmup-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (firstFailure.get() != null) {
            log.warn("warm-up: {} synthetic clients failed, the first with {}", failures.get(),
                    firstFailure.get().toString());
        }
        return new Result(completed.get(), tlsCompleted.get(), statements.get(), failures.get(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String randomText() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
