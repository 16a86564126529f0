package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages far larger than pgmux's memory pass through it: pgmux runs in its own JVM with a 128 MiB heap (and so,
 * by Netty's default, 128 MiB of direct memory) while one client reads a 200 MiB row, another copies 500 MiB in
 * (in 100 MiB CopyData messages) and 200 MiB out, and other clients keep running queries all along. Holding any of
 * those messages whole would exhaust pgmux's direct memory.
 */
@DetectLeaks
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MemoryPerClientIntegrationTest {
    private static final int MIB = 1024 * 1024;
    private static final int ROW_BYTES = 200 * MIB;
    private static final int COPY_MESSAGES = 5;
    private static final int LINES_PER_MESSAGE = 100;
    private static final int LINE_BYTES = MIB; // with its newline
    private static final int COPY_OUT_ROW = 100 * MIB;
    private static final int SMALL_CLIENTS = 3;

    private final PostgresFixture pg = PostgresFixture.shared();

    @Test
    void largeRowsAndCopiesStreamThroughWhileOtherClientsAreServed() throws Exception {
        try (Connection direct = pg.connect(); Statement s = direct.createStatement()) {
            s.execute("DROP TABLE IF EXISTS memory_copy");
            s.execute("CREATE UNLOGGED TABLE memory_copy (line text)");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2 + SMALL_CLIENTS);
        try (ChildPgmux pgmux = ChildPgmux.start(List.of("-Xmx128m", "-Dio.netty.leakDetection.level=paranoid"),
                "transaction", 3, "")) {
            AtomicBoolean bigDone = new AtomicBoolean();
            Future<BulkWire.Result> row = threads.submit(() -> readLargeRow(pgmux));
            Future<BulkWire.Result[]> copy = threads.submit(() -> copyInAndOut(pgmux));
            List<Future<Integer>> small = new ArrayList<>();
            for (int i = 0; i < SMALL_CLIENTS; i++) {
                small.add(threads.submit(() -> selectOneUntil(pgmux, bigDone)));
            }
            BulkWire.Result rowResult;
            BulkWire.Result[] copyResults;
            try {
                rowResult = row.get(120, TimeUnit.SECONDS);
                copyResults = copy.get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("a large transfer failed; pgmux's log ends with:\n" + pgmux.logTail(), e);
            } finally {
                bigDone.set(true);
            }
            assertThat(rowResult.rows()).isEqualTo(1);
            assertThat(rowResult.valueBytes()).isEqualTo(ROW_BYTES);
            assertThat(copyResults[0].commandTag()).isEqualTo("COPY " + COPY_MESSAGES * LINES_PER_MESSAGE);
            assertThat(copyResults[1].copyBytes()).isEqualTo(2L * (COPY_OUT_ROW + 1));
            for (Future<Integer> f : small) {
                assertThat(f.get(30, TimeUnit.SECONDS)).as("queries answered while the large transfers ran")
                        .isPositive();
            }
            assertThat(pgmux.isAlive()).isTrue();
            assertThat(pgmux.logText()).doesNotContain("OutOfDirectMemory", "OutOfMemory", "LEAK:");
        } finally {
            threads.shutdownNow();
        }
        try (Connection direct = pg.connect(); Statement s = direct.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(octet_length(line)) FROM memory_copy")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo((long) COPY_MESSAGES * LINES_PER_MESSAGE);
            assertThat(rs.getLong(2)).isEqualTo((long) COPY_MESSAGES * LINES_PER_MESSAGE * (LINE_BYTES - 1));
            s.execute("DROP TABLE memory_copy");
        }
    }

    private static BulkWire.Result readLargeRow(ChildPgmux pgmux) throws Exception {
        try (RawClient client = pgmux.login()) {
            client.sendQuery("SELECT repeat('x', " + ROW_BYTES + ")");
            return BulkWire.readResult(client, (byte) 'x');
        }
    }

    /** 500 MiB in through COPY FROM STDIN, then two rows of 100 MiB out through COPY TO STDOUT. */
    private static BulkWire.Result[] copyInAndOut(ChildPgmux pgmux) throws Exception {
        try (RawClient client = pgmux.login()) {
            client.sendQuery("COPY memory_copy FROM STDIN");
            BulkWire.expect(client, 'G');
            BulkWire.copyIn(client, COPY_MESSAGES, LINES_PER_MESSAGE, LINE_BYTES, (byte) 'z');
            BulkWire.Result in = BulkWire.readResult(client, (byte) 'z');
            client.sendQuery("COPY (SELECT repeat('y', " + COPY_OUT_ROW + ") FROM generate_series(1, 2)) TO STDOUT");
            BulkWire.Result out = BulkWire.readResult(client, (byte) 'y');
            return new BulkWire.Result[] {in, out};
        }
    }

    /** Runs SELECT 1 until the large transfers are done (at most 2000 times); returns how many were answered. */
    private static int selectOneUntil(ChildPgmux pgmux, AtomicBoolean done) throws Exception {
        int answered = 0;
        try (RawClient client = pgmux.login()) {
            while (!done.get() && answered < 2000) {
                client.sendQuery("SELECT 1");
                BulkWire.Result result = BulkWire.readResult(client, (byte) '1');
                assertThat(result.rows()).isEqualTo(1);
                answered++;
                Thread.sleep(20);
            }
        }
        return answered;
    }
}
