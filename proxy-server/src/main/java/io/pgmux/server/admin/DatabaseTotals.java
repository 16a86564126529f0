// The SHOW STATS figures of one database, summed over its pools: totals since start, or over one period.
package io.pgmux.server.admin;

import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolCounters;
import io.pgmux.pool.StatementCounters;
import io.pgmux.server.metrics.PoolMeters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums over the pools of one database; times in microseconds, as PgBouncer reports them. A snapshot
 * {@link #minus} an earlier one gives the figures of the period between them, which {@link StatsPeriod} averages.
 */
final class DatabaseTotals {
    long xacts;
    long queries;
    long received;
    long sent;
    long xactMicros;
    long queryMicros;
    long waitMicros;
    long waits;
    long assignments;
    long clientParses;
    long serverParses;

    /** Every configured database (with zeros when it has no pool yet) and every database that has a pool. */
    static Map<String, DatabaseTotals> collect(ServerControl control) {
        Map<String, DatabaseTotals> byDatabase = new LinkedHashMap<>();
        control.config().databases().keySet().forEach(name -> byDatabase.put(name, new DatabaseTotals()));
        for (PoolMeters m : control.clients().allMeters()) {
            byDatabase.computeIfAbsent(m.key().database(), k -> new DatabaseTotals()).add(m);
        }
        for (Pool pool : control.pools().pools()) {
            byDatabase.computeIfAbsent(pool.key().database(), k -> new DatabaseTotals())
                    .add(pool.counters(), pool.statementCounters());
        }
        return byDatabase;
    }

    void add(PoolMeters m) {
        var tx = m.transactionLatency();
        var q = m.queryLatency();
        xacts += tx.count();
        xactMicros += tx.sumNanos() / 1000;
        queries += q.count();
        queryMicros += m.queryDatabaseLatency().sumNanos() / 1000;
        received += m.bytesReceived();
        sent += m.bytesSent();
    }

    void add(PoolCounters c, StatementCounters statements) {
        clientParses += statements.hits() + statements.misses();
        serverParses += statements.misses();
        waitMicros += c.waitNanosTotal() / 1000;
        waits += c.completedWaits();
        assignments += c.acquireLatency().snapshot().count();
    }

    /**
     * What happened since {@code earlier} ({@code null}: since start). A pool that went away in between (a database
     * removed by RELOAD) takes its counts with it, so a difference below zero is read as zero.
     */
    DatabaseTotals minus(DatabaseTotals earlier) {
        DatabaseTotals d = new DatabaseTotals();
        DatabaseTotals e = earlier == null ? new DatabaseTotals() : earlier;
        d.xacts = Math.max(0, xacts - e.xacts);
        d.queries = Math.max(0, queries - e.queries);
        d.received = Math.max(0, received - e.received);
        d.sent = Math.max(0, sent - e.sent);
        d.xactMicros = Math.max(0, xactMicros - e.xactMicros);
        d.queryMicros = Math.max(0, queryMicros - e.queryMicros);
        d.waitMicros = Math.max(0, waitMicros - e.waitMicros);
        d.waits = Math.max(0, waits - e.waits);
        d.assignments = Math.max(0, assignments - e.assignments);
        d.clientParses = Math.max(0, clientParses - e.clientParses);
        d.serverParses = Math.max(0, serverParses - e.serverParses);
        return d;
    }

    /** This plus {@code other}, for the server-wide figures of SHOW TOTALS. */
    DatabaseTotals plus(DatabaseTotals other) {
        DatabaseTotals d = minus(null);
        d.xacts += other.xacts;
        d.queries += other.queries;
        d.received += other.received;
        d.sent += other.sent;
        d.xactMicros += other.xactMicros;
        d.queryMicros += other.queryMicros;
        d.waitMicros += other.waitMicros;
        d.waits += other.waits;
        d.assignments += other.assignments;
        d.clientParses += other.clientParses;
        d.serverParses += other.serverParses;
        return d;
    }

    Object[] totals() {
        return new Object[] {xacts, queries, assignments, received, sent, xactMicros, queryMicros, waitMicros,
            clientParses, serverParses, 0};
    }

    /** Counts and bytes per second over {@code seconds}; times per transaction, query or wait. */
    Object[] averages(double seconds) {
        return new Object[] {perSecond(xacts, seconds), perSecond(queries, seconds), perSecond(assignments, seconds),
            perSecond(received, seconds), perSecond(sent, seconds), per(xactMicros, xacts), per(queryMicros, queries),
            per(waitMicros, waits), perSecond(clientParses, seconds), perSecond(serverParses, seconds), 0};
    }

    private static long perSecond(long total, double seconds) {
        return Math.round(total / seconds);
    }

    private static long per(long total, long count) {
        return count == 0 ? 0 : total / count;
    }
}
