// A complete load scenario: arrivals, the work of each function, the client kind and the timeouts.
package io.pgmux.loadtest.runner;

import io.pgmux.loadtest.arrival.ArrivalPattern;
import io.pgmux.loadtest.workload.TenantMix;
import io.pgmux.loadtest.workload.TransactionSpec;

/**
 * What to run against every target.
 *
 * @param connectTimeoutMillis        connect plus login, per function
 * @param transactionTimeoutMillis    the transaction, per function
 * @param drainTimeoutMillis          how long after the last arrival the run waits for functions still in flight
 * @param terminateBackendsAtMillis   when (from the start) to terminate every backend of the database, simulating
 *                                    a PostgreSQL restart; -1 for never
 * @param postgresMaxConnections      max_connections for a PostgreSQL this tool starts itself
 * @param tenants                     which tenant each function belongs to and the wait deadline it states
 */
public record Scenario(String name, String description, ArrivalPattern arrival, TransactionSpec transaction,
                       ClientSettings client, long connectTimeoutMillis, long transactionTimeoutMillis,
                       long drainTimeoutMillis, long terminateBackendsAtMillis, int postgresMaxConnections,
                       TenantMix tenants) {
    public Scenario {
        if (connectTimeoutMillis <= 0 || transactionTimeoutMillis <= 0 || drainTimeoutMillis < 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        tenants = tenants == null ? TenantMix.NONE : tenants;
    }

    /** A scenario without tenants. */
    public Scenario(String name, String description, ArrivalPattern arrival, TransactionSpec transaction,
                    ClientSettings client, long connectTimeoutMillis, long transactionTimeoutMillis,
                    long drainTimeoutMillis, long terminateBackendsAtMillis, int postgresMaxConnections) {
        this(name, description, arrival, transaction, client, connectTimeoutMillis, transactionTimeoutMillis,
                drainTimeoutMillis, terminateBackendsAtMillis, postgresMaxConnections, TenantMix.NONE);
    }

    /** A copy with another client. */
    public Scenario withClient(ClientSettings other) {
        return new Scenario(name, description, arrival, transaction, other, connectTimeoutMillis,
                transactionTimeoutMillis, drainTimeoutMillis, terminateBackendsAtMillis, postgresMaxConnections,
                tenants);
    }

    /** A copy with another arrival pattern. */
    public Scenario withArrival(ArrivalPattern other) {
        return new Scenario(name, description, other, transaction, client, connectTimeoutMillis,
                transactionTimeoutMillis, drainTimeoutMillis, terminateBackendsAtMillis, postgresMaxConnections,
                tenants);
    }

    /** A copy that terminates every backend at {@code millis} from the start (-1: never). */
    public Scenario withTerminateBackendsAt(long millis) {
        return new Scenario(name, description, arrival, transaction, client, connectTimeoutMillis,
                transactionTimeoutMillis, drainTimeoutMillis, millis, postgresMaxConnections, tenants);
    }

    /** A copy with another transaction. */
    public Scenario withTransaction(TransactionSpec other) {
        return new Scenario(name, description, arrival, other, client, connectTimeoutMillis,
                transactionTimeoutMillis, drainTimeoutMillis, terminateBackendsAtMillis, postgresMaxConnections,
                tenants);
    }
}
