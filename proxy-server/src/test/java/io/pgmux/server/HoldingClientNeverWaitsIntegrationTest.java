package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool never deadlocks itself: a client that holds a backend sends everything to it and never waits for
 * another, and what needs no backend (a named Parse, a Close, their Sync) is answered without one. Every test has
 * three times more clients than backends and drives them the way a single-threaded program does (pgbench -j 1):
 * one synchronous request that waits for a backend held by a sibling connection would hang the program.
 */
@DetectLeaks
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HoldingClientNeverWaitsIntegrationTest {
    private static final int BACKENDS = 2;
    private static final int CLIENTS = 3 * BACKENDS;
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
    void pgbenchPreparedWithThreeTimesMoreClientsThanBackends() throws Exception {
        Assumptions.assumeTrue(onPath("pgbench"), "pgbench is not installed");
        String conninfo = "host=127.0.0.1 port=" + proxy.port() + " dbname=" + proxy.pg.database()
                + " user=" + proxy.pg.user();
        assertThat(pgbench(conninfo, "-i", "-s", "1", "-q")).contains("done");
        // The default TPC-B-like script: pgbench prepares each statement (Parse + Sync, waiting for the answer)
        // the first time it runs it, also right after BEGIN while its other connections hold every backend.
        String out = pgbench(conninfo, "-n", "-M", "prepared", "-c", String.valueOf(CLIENTS), "-j", "1",
                "-t", "20");
        assertThat(out).contains("number of transactions actually processed: " + CLIENTS * 20)
                .contains("number of failed transactions: 0");
    }

    @Test
    void pgjdbcNamedStatementsInExplicitTransactions() throws Exception {
        Properties props = new Properties();
        props.setProperty("prepareThreshold", "1");
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                results.add(threads.submit(() -> {
                    int sum = 0;
                    try (Connection conn = proxy.connect(props)) {
                        conn.setAutoCommit(false);
                        for (int tx = 0; tx < 20; tx++) {
                            for (int q = 0; q < 3; q++) {
                                try (PreparedStatement ps = conn.prepareStatement(
                                        "SELECT ?::int + " + q + " AS v, txid_current_if_assigned() IS NULL")) {
                                    ps.setInt(1, client * 1000 + tx);
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                        sum += rs.getInt(1);
                                    }
                                }
                            }
                            conn.commit();
                        }
                    }
                    return sum;
                }));
            }
            for (int c = 0; c < CLIENTS; c++) {
                int expected = 0;
                for (int tx = 0; tx < 20; tx++) {
                    expected += 3 * (c * 1000 + tx) + 3;
                }
                assertThat(results.get(c).get(60, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void extendedProtocolRequestsOfHoldingAndIdleClientsAreAnswered() throws Exception {
        List<Client> clients = connectAll();
        try {
            // The first two clients hold both backends; the others queue for one with an asynchronous BEGIN.
            clients.get(0).run(WireMessages.query("BEGIN"));
            clients.get(1).run(WireMessages.query("BEGIN"));
            Client idle = clients.get(2);
            for (int i = 3; i < CLIENTS; i++) {
                clients.get(i).raw.send(WireMessages.query("BEGIN"));
            }
            for (Client holder : clients.subList(0, 2)) {
                assertThat(types(holder.run(WireMessages.parse("s1", "SELECT $1::int + 1"), WireMessages.sync())))
                        .isEqualTo("1Z");
                assertThat(types(holder.run(WireMessages.describe('S', "s1"), WireMessages.sync())))
                        .isEqualTo("tTZ");
                assertThat(holder.value(WireMessages.bind("", "s1", "41"))).isEqualTo("42");
                assertThat(types(holder.run(WireMessages.close('S', "s1"), WireMessages.sync()))).isEqualTo("3Z");
                assertThat(holder.status).isEqualTo('T');
            }
            // A client with no backend prepares, flushes and closes while every backend is held.
            assertThat(types(idle.run(WireMessages.parse("p1", "SELECT $1::int * 2"), WireMessages.flush(),
                    WireMessages.sync()))).isEqualTo("1Z");
            assertThat(types(idle.run(WireMessages.close('S', "p1"), WireMessages.close('P', ""),
                    WireMessages.sync()))).isEqualTo("33Z");
            assertThat(types(idle.run(WireMessages.parse("p2", "SELECT $1::int * 2"), WireMessages.sync())))
                    .isEqualTo("1Z");
            assertThat(idle.status).isEqualTo('I');
            for (Client holder : clients.subList(0, 2)) {
                holder.run(WireMessages.query("COMMIT"));
            }
            for (Client queued : clients.subList(3, CLIENTS)) { // in the order they queued
                queued.readAnswer();
                assertThat(queued.status).isEqualTo('T');
                queued.run(WireMessages.query("COMMIT"));
            }
            // The statement parsed without a backend is prepared where it is first used.
            assertThat(idle.value(WireMessages.bind("", "p2", "21"))).isEqualTo("42");
        } finally {
            closeAll(clients);
        }
    }

    @Test
    void errorInAStatementParsedWithoutABackendIsReportedAtItsFirstUse() throws Exception {
        try (Client c = new Client()) {
            assertThat(types(c.run(WireMessages.parse("bad", "SELEC 1"), WireMessages.sync()))).isEqualTo("1Z");
            List<RawClient.Message> answer = c.run(WireMessages.bind("", "bad"), WireMessages.execute("", 0),
                    WireMessages.sync());
            assertThat(types(answer)).isEqualTo("EZ");
            assertThat(answer.get(0).fields()).containsEntry('C', "42601");
            assertThat(c.value(WireMessages.parse("", "SELECT 7"), WireMessages.bind("", ""))).isEqualTo("7");
        }
    }

    /**
     * A seeded random interleaving of many clients on one thread. Each step sends a request and waits for its answer
     * unless the client holds no backend and the request needs one (BEGIN): that is sent without waiting and picked
     * up later. If a holding client ever waited for a backend, or an idle client's Parse, Close or Sync needed one,
     * some step would wait for ever (here: the socket timeout fails it).
     */
    @Test
    void randomInterleavingNeverWaitsWhileHolding() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Client> clients = connectAll();
        List<Client> queued = new ArrayList<>(); // clients whose BEGIN waits for a backend, in the order sent
        try {
            for (int step = 0; step < 400; step++) {
                Client c = clients.get(random.nextInt(CLIENTS));
                String context = "seed " + seed + ", step " + step + ", client " + clients.indexOf(c);
                if (c.beginSent) {
                    if (c.beginAnswered()) {
                        assertThat(c.status).as(context).isEqualTo('T');
                        queued.remove(c);
                    }
                    continue;
                }
                c.randomStep(random, context);
                if (c.beginSent) {
                    queued.add(c);
                }
                long holding = clients.stream().filter(x -> x.status == 'T').count();
                assertThat(holding).as(context).isLessThanOrEqualTo(BACKENDS);
            }
            for (Client c : clients) {
                if (c.status == 'T') {
                    c.run(WireMessages.query("COMMIT"));
                }
            }
            for (Client c : queued) { // first come, first served: in queue order nobody waits for a later one
                c.readAnswer();
                assertThat(c.status).isEqualTo('T');
                c.run(WireMessages.query("COMMIT"));
            }
        } finally {
            closeAll(clients);
        }
    }

    private static List<Client> connectAll() throws IOException {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new Client());
        }
        return clients;
    }

    private static void closeAll(List<Client> clients) throws IOException {
        for (Client c : clients) {
            c.close();
        }
    }

    private static String types(List<RawClient.Message> messages) {
        StringBuilder s = new StringBuilder();
        for (RawClient.Message m : messages) {
            s.append(m.type());
        }
        return s.toString();
    }

    /** One raw protocol client and what the test knows of it. */
    private static final class Client implements AutoCloseable {
        final RawClient raw;
        /** The transaction status of the last ReadyForQuery. */
        char status = 'I';
        /** A BEGIN was sent while the client held no backend; its answer is still to be read. */
        boolean beginSent;
        final Set<String> prepared = new HashSet<>();
        int nextName;

        Client() throws IOException {
            raw = new RawClient(proxy.port());
            raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
        }

        /** Sends the messages in one write and reads the answers up to ReadyForQuery (notices skipped). */
        List<RawClient.Message> run(byte[]... messages) throws IOException {
            raw.send(WireMessages.concat(messages));
            return readAnswer();
        }

        List<RawClient.Message> readAnswer() throws IOException {
            beginSent = false;
            List<RawClient.Message> answer = new ArrayList<>();
            RawClient.Message m;
            do {
                m = raw.read();
                assertThat(m).as("answer before the connection closed").isNotNull();
                if (m.type() != 'N') {
                    answer.add(m);
                }
            } while (m.type() != 'Z');
            status = (char) m.body()[0];
            return answer;
        }

        /** Reads what has arrived of the answer to an asynchronous BEGIN, without waiting; true once complete. */
        boolean beginAnswered() throws IOException {
            while (raw.in.available() > 0) {
                RawClient.Message m = raw.read();
                assertThat(m).isNotNull();
                if (m.type() == 'Z') {
                    status = (char) m.body()[0];
                    beginSent = false;
                    return true;
                }
            }
            return false;
        }

        /** Runs Bind (given) + Execute + Sync, returns the first column of the single row. */
        String value(byte[]... bindAndBefore) throws IOException {
            byte[][] messages = new byte[bindAndBefore.length + 2][];
            System.arraycopy(bindAndBefore, 0, messages, 0, bindAndBefore.length);
            messages[bindAndBefore.length] = WireMessages.execute("", 0);
            messages[bindAndBefore.length + 1] = WireMessages.sync();
            for (RawClient.Message m : run(messages)) {
                assertThat(m.type()).as("answer %s", m.fields()).isNotEqualTo('E');
                if (m.type() == 'D') {
                    return firstColumn(m.body());
                }
            }
            throw new AssertionError("no row");
        }

        void randomStep(Random random, String context) throws IOException {
            boolean holding = status == 'T';
            char expected = status;
            switch (random.nextInt(holding ? 6 : 3)) {
                case 0 -> {
                    String name = "r" + nextName++;
                    assertThat(types(run(WireMessages.parse(name, "SELECT $1::int + 5"), WireMessages.sync())))
                            .as(context).isEqualTo("1Z");
                    prepared.add(name);
                }
                case 1 -> {
                    String name = prepared.isEmpty() || random.nextBoolean() ? "none" : prepared.iterator().next();
                    assertThat(types(run(WireMessages.close('S', name), WireMessages.sync()))).as(context)
                            .isEqualTo("3Z");
                    prepared.remove(name);
                }
                case 2 -> {
                    if (holding) {
                        run(WireMessages.query("COMMIT"));
                        expected = 'I';
                    } else {
                        raw.send(WireMessages.query("BEGIN")); // needs a backend: picked up later
                        beginSent = true;
                    }
                }
                case 3 -> {
                    if (!prepared.isEmpty()) {
                        assertThat(types(run(WireMessages.describe('S', prepared.iterator().next()),
                                WireMessages.sync()))).as(context).isEqualTo("tTZ");
                    }
                }
                case 4 -> {
                    if (!prepared.isEmpty()) {
                        int n = random.nextInt(1000);
                        assertThat(value(WireMessages.bind("", prepared.iterator().next(), String.valueOf(n))))
                                .as(context).isEqualTo(String.valueOf(n + 5));
                    }
                }
                default -> assertThat(types(run(WireMessages.query("SELECT 1")))).as(context).isEqualTo("TDCZ");
            }
            assertThat(status).as(context).isEqualTo(expected);
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }

    private static String firstColumn(byte[] dataRow) {
        int length = java.nio.ByteBuffer.wrap(dataRow, 2, 4).getInt();
        return new String(dataRow, 6, length, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String pgbench(String conninfo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pgbench"));
        command.addAll(List.of(args));
        command.add(conninfo);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("PGPASSWORD", proxy.pg.password());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes(); // ends when pgbench exits
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pgbench did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
