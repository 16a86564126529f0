package io.pgmux.server;

import static io.pgmux.server.WireMessages.bind;
import static io.pgmux.server.WireMessages.close;
import static io.pgmux.server.WireMessages.concat;
import static io.pgmux.server.WireMessages.describe;
import static io.pgmux.server.WireMessages.execute;
import static io.pgmux.server.WireMessages.flush;
import static io.pgmux.server.WireMessages.parse;
import static io.pgmux.server.WireMessages.query;
import static io.pgmux.server.WireMessages.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import io.pgmux.testing.PostgresFixture;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One extended-protocol conversation (pipelined batches, errors in the middle of a pipeline, Close, Describe, Flush,
 * DEALLOCATE ALL and DISCARD ALL), run straight against PostgreSQL and through pgmux under transaction pooling: the
 * client must receive the same messages, in the same order, whichever backend each batch lands on.
 */
@DetectLeaks
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExtendedProtocolConversationIntegrationTest {
    private static final int INT4 = 23;
    private final PostgresFixture pg = PostgresFixture.shared();

    /** Bytes to send, then what to read: that many ReadyForQuery, or (when 0) exactly {@code messages} messages. */
    record Step(byte[] bytes, int readyForQueries, int messages) {
        static Step untilReady(int readyForQueries, byte[]... messages) {
            return new Step(concat(messages), readyForQueries, 0);
        }
    }

    private static List<Step> conversation() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.untilReady(1, parse("s1", "SELECT $1::int + 1", INT4), parse("s2", "SELECT 'two'::text AS two"),
                sync()));
        steps.add(Step.untilReady(1, bind("", "s1", "41"), execute("", 0), bind("", "s2"), execute("", 0), sync()));
        steps.add(Step.untilReady(1, describe('S', "s1"), describe('S', "s2"), sync()));
        // A Parse error in the middle of a pipeline: the rest is skipped until the Sync, and s3 does not exist.
        steps.add(Step.untilReady(1, parse("s3", "SELEC broken"), bind("", "s1", "1"), execute("", 0), sync()));
        steps.add(Step.untilReady(1, bind("", "s3"), execute("", 0), sync()));
        // A second Parse of a name: 42P05, and the rest of the batch is skipped.
        steps.add(Step.untilReady(1, parse("s1", "SELECT 2"), bind("", "s2"), execute("", 0), sync()));
        // Close forgets the name (twice is fine), and the name can then be used for other SQL.
        steps.add(Step.untilReady(1, close('S', "s1"), close('S', "s1"), parse("s1", "SELECT 'new s1'"),
                bind("", "s1"), execute("", 0), sync()));
        // Inside a transaction: an error aborts it, the statement prepared before the error survives the rollback.
        steps.add(Step.untilReady(1, query("BEGIN")));
        steps.add(Step.untilReady(1, parse("s4", "SELECT $1::text"), bind("", "s4", "x"), execute("", 0), sync()));
        steps.add(Step.untilReady(1, parse("s4", "SELECT 3"), sync()));
        steps.add(Step.untilReady(1, query("ROLLBACK")));
        steps.add(Step.untilReady(1, bind("", "s4", "after rollback"), execute("", 0), sync()));
        // A named portal read in two parts, then the unnamed statement and portal.
        steps.add(Step.untilReady(1, parse("s5", "SELECT generate_series(1, 5)"), bind("c", "s5"), execute("c", 2),
                execute("c", 0), sync()));
        steps.add(Step.untilReady(1, parse("", "SELECT 42 AS answer"), bind("", ""), describe('P', ""),
                execute("", 0), sync()));
        // Flush without Sync: the ParseComplete must arrive all the same.
        steps.add(new Step(concat(parse("sa", "SELECT 'flushed'"), flush()), 0, 1));
        steps.add(Step.untilReady(1, bind("", "sa"), execute("", 0), sync()));
        // Two Syncs in one write.
        steps.add(Step.untilReady(2, bind("", "s5"), execute("", 0), sync(), bind("", "s2"), execute("", 0),
                sync()));
        // DEALLOCATE ALL and DISCARD ALL drop every statement of the session.
        steps.add(Step.untilReady(1, query("DEALLOCATE ALL")));
        steps.add(Step.untilReady(1, bind("", "s2"), execute("", 0), sync()));
        steps.add(Step.untilReady(1, parse("s2", "SELECT 'again'"), bind("", "s2"), execute("", 0), sync()));
        steps.add(Step.untilReady(1, query("DISCARD ALL")));
        steps.add(Step.untilReady(1, bind("", "s2"), execute("", 0), sync()));
        steps.add(Step.untilReady(1, parse("s2", "SELECT 'once more'"), bind("", "s2"), execute("", 0), sync()));
        return steps;
    }

    @Test
    void sameMessagesAsPostgresOnOneBackendWithEvictions() throws Exception {
        List<String> direct = transcript(pg.port());
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "max_prepared_statements: 2", "")) {
            assertThat(transcript(proxy.port())).containsExactlyElementsOf(direct);
            assertThat(proxy.server.pools().pool(pg.database(), pg.md5User()).statementCounters().evictions())
                    .isPositive();
        }
    }

    @Test
    void sameMessagesAsPostgresWhileOtherClientsMoveItBetweenBackends() throws Exception {
        List<String> direct = transcript(pg.port());
        try (TestProxy proxy = TestProxy.start("transaction", 2, "md5", "max_prepared_statements: 3", "")) {
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService noise = Executors.newFixedThreadPool(3);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    int thread = t;
                    done.add(noise.submit(() -> prepareInALoop(proxy, thread, running)));
                }
                for (int round = 0; round < 3; round++) {
                    assertThat(transcript(proxy.port())).as("round %d", round).containsExactlyElementsOf(direct);
                }
                running.set(false);
                for (Future<Integer> f : done) {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isPositive();
                }
            } finally {
                running.set(false);
                noise.shutdownNow();
            }
        }
    }

    /** Other clients of the same pool run named statements of their own until told to stop. */
    private int prepareInALoop(TestProxy proxy, int thread, AtomicBoolean running) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", pg.md5User());
        p.setProperty("password", pg.md5Password());
        p.setProperty("prepareThreshold", "1");
        int runs = 0;
        try (Connection c = proxy.connect(p)) {
            while (running.get() && runs < 100_000) {
                int n = runs % 4;
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * " + (n + 2) + ", " + thread)) {
                    ps.setInt(1, runs);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(runs * (n + 2));
                        assertThat(rs.getInt(2)).isEqualTo(thread);
                    }
                }
                runs++;
            }
        }
        return runs;
    }

    private List<String> transcript(int port) throws IOException {
        List<String> transcript = new ArrayList<>();
        try (RawClient client = new RawClient(port)) {
            client.login(pg.md5User(), pg.md5Password(), pg.database());
            for (Step step : conversation()) {
                client.send(step.bytes());
                if (step.readyForQueries() == 0) {
                    for (int i = 0; i < step.messages(); i++) {
                        transcript.add(describeMessage(client.read()));
                    }
                    continue;
                }
                int ready = 0;
                while (ready < step.readyForQueries()) {
                    RawClient.Message m = client.read();
                    assertThat(m).as("connection closed after %s", transcript).isNotNull();
                    transcript.add(describeMessage(m));
                    if (m.type() == 'Z') {
                        ready++;
                    }
                }
            }
        }
        return transcript;
    }

    /** Errors compare by severity, SQLSTATE and text (not source file and line); everything else byte for byte. */
    private static String describeMessage(RawClient.Message m) {
        if (m.type() == 'E' || m.type() == 'N') {
            Map<Character, String> f = m.fields();
            return m.type() + " " + f.get('V') + " " + f.get('C') + " " + f.get('M');
        }
        return m.type() + " " + HexFormat.of().formatHex(m.body());
    }
}
