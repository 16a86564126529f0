package io.pgmux.server;

import static io.pgmux.server.WireMessages.bind;
import static io.pgmux.server.WireMessages.concat;
import static io.pgmux.server.WireMessages.describe;
import static io.pgmux.server.WireMessages.execute;
import static io.pgmux.server.WireMessages.parse;
import static io.pgmux.server.WireMessages.sync;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * COPY FROM STDIN run through the extended protocol, the way libpq's PQexecParams runs it: a Sync goes behind the
 * Execute before anyone knows the statement is a COPY, and PostgreSQL ignores that Sync during the copy; libpq sends
 * another after CopyDone. Only the second is answered, so only it may be counted as owed.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExtendedProtocolCopyIntegrationTest {
    @Test
    void aCopyRunByExecuteGivesItsBackendBackAfterTheSyncThatEndsIt() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1, "md5", "", "query_wait_timeout: 2s")) {
            try (Connection c = proxy.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS extended_copy_target (x int)");
                s.execute("TRUNCATE extended_copy_target");
            }
            try (RawClient raw = new RawClient(proxy.port())) {
                raw.login(proxy.pg.user(), proxy.pg.password(), proxy.pg.database());
                raw.send(concat(parse("", "COPY extended_copy_target FROM STDIN"), bind("", ""), describe('P', ""),
                        execute("", 0), sync()));
                raw.readUntil('G');
                raw.sendTyped('d', "41\n".getBytes(StandardCharsets.UTF_8));
                raw.sendTyped('c', new byte[0]);
                raw.send(sync());
                RawClient.Message done = raw.readUntil('C');
                assertThat(new String(done.body(), StandardCharsets.UTF_8)).startsWith("COPY 1");
                assertThat(raw.readUntil('Z').body()).containsExactly('I');

                assertThat(proxy.anotherClientGetsIn()).as("the backend went back to the pool").isTrue();
                raw.sendQuery("SELECT 1");
                raw.readUntil('Z');
            }
            try (Connection c = proxy.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sum(x) FROM extended_copy_target")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(41);
                s.execute("DROP TABLE extended_copy_target");
            }
            proxy.assertEveryBackendBackAndIdle();
        }
    }
}
