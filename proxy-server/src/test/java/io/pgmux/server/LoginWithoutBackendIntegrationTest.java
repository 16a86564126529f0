package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

/**
 * Once a pool has logged in one backend, later clients finish their login without waiting for a backend: in a
 * connection storm, logins must not queue behind transactions.
 */
@DetectLeaks
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginWithoutBackendIntegrationTest {

    @Test
    void clientLogsInWhileTheOnlyBackendIsBusyAndItsParametersFollowIt() throws Exception {
        try (TestProxy proxy = TestProxy.start("transaction", 1);
             Connection busy = proxy.connect(); Statement s = busy.createStatement()) {
            busy.setAutoCommit(false);
            s.execute("SELECT 1"); // holds the pool's only backend until the commit

            Properties named = new Properties();
            named.setProperty("ApplicationName", "late-comer");
            // Parameters in the StartupMessage rather than SET statements after it: the login itself runs no query.
            named.setProperty("assumeMinServerVersion", "10");
            CompletableFuture<Connection> login = CompletableFuture.supplyAsync(() -> {
                try {
                    return proxy.connect(named);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection late = login.get(10, TimeUnit.SECONDS)) {
                assertThat(((PGConnection) late).getParameterStatus("application_name")).isEqualTo("late-comer");
                CompletableFuture<String> query = CompletableFuture.supplyAsync(() -> text(late,
                        "SELECT current_setting('application_name')"));
                Thread.sleep(300);
                assertThat(query).as("the query waits for the backend").isNotDone();
                busy.commit();
                assertThat(query.get(10, TimeUnit.SECONDS)).isEqualTo("late-comer");
            }
        }
    }

    private static String text(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
