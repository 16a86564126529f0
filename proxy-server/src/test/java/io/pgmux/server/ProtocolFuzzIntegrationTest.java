package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and mutated message streams from many concurrent raw clients against the running proxy (transaction
 * pooling, fewer backends than clients). Each stream logs in properly, sends a few messages built from valid ones
 * and then mutated (bytes flipped, bodies cut or grown with the length kept or broken, unknown types, garbage),
 * ends with Sync + Query, and closes its sending side. The proxy must then answer and close the connection (no
 * hang), never report an internal error, close only with 08P01 when the protocol was broken (or 54000 for a
 * message over max_parsed_message_length), leak no buffer (leak detector at PARANOID), and leave every backend back
 * in the pool outside any transaction.
 */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProtocolFuzzIntegrationTest {
    private static final int CLIENTS = 20;
    private static final int BACKENDS = 3;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(40);
    private static final int MAX_STREAMS_PER_CLIENT = 400;
    private static TestProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = TestProxy.start("transaction", BACKENDS, "md5", "", "query_wait_timeout: 20s").warmedUp();
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @Test
    void mutatedStreamsNeitherHangNorLeakNorHarmOthers() throws Exception {
        long seed = System.nanoTime();
        long deadline = System.nanoTime() + RUN_NANOS;
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger streams = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                Random random = new Random(seed + t);
                done.add(threads.submit(() -> {
                    for (int i = 0; i < MAX_STREAMS_PER_CLIENT && System.nanoTime() < deadline
                            && failures.isEmpty(); i++) {
                        byte[] stream = Streams.random(random);
                        String problem = runStream(stream, violations);
                        streams.incrementAndGet();
                        if (problem != null) {
                            failures.add(problem + " for stream " + HexFormat.of().formatHex(stream));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(RUN_NANOS / 1_000_000_000 + 90, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(failures).as("seed %d", seed).isEmpty();
        assertThat(streams.get()).as("streams run").isGreaterThan(CLIENTS);
        assertThat(violations.get()).as("streams that broke the protocol").isPositive();
        proxy.assertEveryBackendBackAndIdle();
    }

    /** Runs one stream on a new connection; returns what went wrong, or null. */
    private static String runStream(byte[] stream, AtomicInteger violations) throws IOException {
        try (RawClient raw = new RawClient(proxy.port())) {
            raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
            raw.socket.setSoTimeout(30_000); // longer than query_wait_timeout: a wait for a backend is no hang
            try {
                raw.send(stream);
                raw.socket.shutdownOutput();
            } catch (SocketException closedEarly) {
                // The proxy may close on a violation before the whole stream is written; the answer still waits.
            }
            while (true) {
                RawClient.Message m;
                try {
                    m = raw.read();
                } catch (AssertionError timeout) {
                    return "no answer and no close within 30 s";
                } catch (SocketException reset) {
                    // Closing with bytes of ours unread makes the kernel reset the connection, which may drop
                    // the error before it is read: a close all the same, not a hang.
                    return null;
                }
                if (m == null) {
                    return null; // closed: the proxy answered what it could and saw the end of the stream
                }
                if (m.type() == 'E') {
                    String code = m.fields().get('C');
                    if (code == null || code.startsWith("XX")) {
                        return "internal error " + m.fields();
                    }
                    if ("FATAL".equals(m.fields().get('S'))) {
                        // 54000: a mutated length above max_parsed_message_length, refused with a transaction
                        // open or requests in flight (docs/architecture.md, "Memory per client").
                        if (!code.equals("08P01") && !code.equals("54000")) {
                            return "FATAL other than 08P01 or 54000: " + m.fields();
                        }
                        violations.incrementAndGet();
                    }
                }
            }
        }
    }

    /** Random client streams: valid messages, then at most a couple of mutations, then Sync + Query. */
    private static final class Streams {
        private static final byte[][] VALID = {
            WireMessages.query("SELECT 1"),
            WireMessages.query("BEGIN"),
            WireMessages.query("COMMIT"),
            WireMessages.query("ROLLBACK"),
            WireMessages.query("SELECT 1; SELECT 2"),
            WireMessages.query("SET application_name = 'fuzz'"),
            WireMessages.query("SELECT pg_sleep(0.005)"),
            WireMessages.query(""),
            WireMessages.parse("", "SELECT $1::int", 23),
            WireMessages.parse("f1", "SELECT $1::int + 1", 23),
            WireMessages.parse("f2", "SELECT 2"),
            WireMessages.bind("", "", "7"),
            WireMessages.bind("", "f1", "8"),
            WireMessages.bind("p", "f2"),
            WireMessages.describe('S', "f1"),
            WireMessages.describe('P', ""),
            WireMessages.execute("", 0),
            WireMessages.execute("p", 1),
            WireMessages.close('S', "f1"),
            WireMessages.close('P', "p"),
            WireMessages.flush(),
            WireMessages.sync(),
        };
        private static final byte[] TRAILER = WireMessages.concat(WireMessages.sync(),
                WireMessages.query("SELECT 'end'"));

        static byte[] random(Random random) {
            List<byte[]> messages = new ArrayList<>();
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                messages.add(VALID[random.nextInt(VALID.length)].clone());
            }
            int mutations = random.nextInt(3);
            for (int i = 0; i < mutations; i++) {
                int at = random.nextInt(messages.size());
                messages.set(at, mutate(messages.get(at), random));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            messages.forEach(out::writeBytes);
            out.writeBytes(TRAILER);
            return out.toByteArray();
        }

        private static byte[] mutate(byte[] message, Random random) {
            byte[] m = message.clone();
            if (m.length < 5) {
                return m; // garbage already
            }
            switch (random.nextInt(7)) {
                case 0 -> { // flip a body byte, framing kept
                    if (m.length > 5) {
                        m[5 + random.nextInt(m.length - 5)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> m = withBody(m, random.nextInt(Math.max(1, m.length - 5))); // cut, length kept true
                case 2 -> m = withBody(m, m.length - 5 + 1 + random.nextInt(8)); // grown with zeros
                case 3 -> m[0] = (byte) random.nextInt(256); // any type byte
                case 4 -> { // a length that lies
                    int length = random.nextBoolean() ? random.nextInt(16) : random.nextInt(1 << 16);
                    m[1] = (byte) (length >>> 24);
                    m[2] = (byte) (length >>> 16);
                    m[3] = (byte) (length >>> 8);
                    m[4] = (byte) length;
                }
                case 5 -> { // a NUL removed from a string
                    for (int i = m.length - 1; i > 5; i--) {
                        if (m[i] == 0) {
                            m[i] = 'x';
                            break;
                        }
                    }
                }
                default -> { // garbage
                    m = new byte[1 + random.nextInt(32)];
                    random.nextBytes(m);
                }
            }
            return m;
        }

        /** The message's type with the first {@code size} body bytes (zero-filled past the end), length true. */
        private static byte[] withBody(byte[] m, int size) {
            byte[] out = new byte[5 + size];
            out[0] = m[0];
            System.arraycopy(m, 5, out, 5, Math.min(size, m.length - 5));
            int length = 4 + size;
            out[1] = (byte) (length >>> 24);
            out[2] = (byte) (length >>> 16);
            out[3] = (byte) (length >>> 8);
            out[4] = (byte) length;
            return out;
        }
    }
}
