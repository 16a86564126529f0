package io.pgmux.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A query that has to wait for the only backend of a pool while another client holds it in a transaction. */
final class QueuedQuery {
    private QueuedQuery() {
    }

    /**
     * Opens a transaction on {@code holder}'s connection (taking the backend), runs {@code SELECT 'served'} on
     * {@code waiter} in the background, commits after {@code holdMillis} and checks the waiter was then served.
     *
     * @return the warning the waiting query left on its statement or connection (a NoticeResponse), or null
     */
    static SQLWarning runBehind(Statement holder, Statement waiter, long holdMillis) throws Exception {
        Connection holding = holder.getConnection();
        holding.setAutoCommit(false);
        holder.execute("SELECT 1"); // holds the only backend inside a transaction
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<String> result = background.submit(() -> {
                try (ResultSet rs = waiter.executeQuery("SELECT 'served'")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            Thread.sleep(holdMillis);
            holding.commit();
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("served");
        } finally {
            background.shutdownNow();
        }
        return waiter.getWarnings() != null ? waiter.getWarnings() : waiter.getConnection().getWarnings();
    }
}
