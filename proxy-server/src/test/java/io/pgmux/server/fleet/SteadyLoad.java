package io.pgmux.server.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Short-lived clients, as a web application without a pool makes them: each thread connects to one port, runs one
 * transaction and disconnects, again and again until {@link #close}. Every failure (a refused connection, an
 * error, a connection closed under the client) is kept for the assertion message.
 */
final class SteadyLoad implements AutoCloseable {
    private final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger transactions = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private SteadyLoad(int clients, int port, String table) {
        threads = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.execute(() -> run(port, table, client));
        }
    }

    /** Starts {@code clients} threads inserting into {@code table (client int, n int)} through {@code port}. */
    static SteadyLoad start(int clients, int port, String table) {
        return new SteadyLoad(clients, port, table);
    }

    private void run(int port, String table, int client) {
        int n = 0;
        while (running.get()) {
            try (Connection c = FleetProcess.connect(port); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO " + table + " VALUES (" + client + ", " + n + ")");
                s.execute("SELECT pg_sleep(0.002)");
                c.commit();
                transactions.incrementAndGet();
                n++;
            } catch (SQLException e) {
                failures.add("client " + client + ": " + e.getSQLState() + " " + e.getMessage());
            }
        }
    }

    /** Transactions committed so far. */
    int transactions() {
        return transactions.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Stops the clients and waits for the transactions in progress. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
    }
}
