// Publishes every pool's lists, limits, counters and histograms at scrape time.
package io.pgmux.server.metrics;

import io.pgmux.pool.ConnectionBudget;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolCounters;
import io.pgmux.pool.PoolKey;
import io.pgmux.pool.PoolLimits;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.pool.PoolStats;
import io.pgmux.pool.StatementCounters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The per-pool metrics, labelled {@code database} and {@code user} (the names from the configuration and the
 * startup packet, a bounded set: only configured databases get pools, and only authenticated users). Each pool's
 * {@link PoolStats} snapshot is taken once per scrape (one short lock per pool); counters and histograms are read
 * from adders. Nothing here runs on the data path.
 */
final class PoolCollector implements MultiCollector {
    private final PoolRegistry pools;
    private final ClientFigures clients;
    private final Supplier<Iterable<String>> databases;
    /** Every pin reason, so that each pool's pin counters exist from its start, at zero, for rate() and alerts. */
    private final List<String> pinReasons;

    PoolCollector(PoolRegistry pools, ClientFigures clients, Supplier<Iterable<String>> databases,
            List<String> pinReasons) {
        this.pools = pools;
        this.clients = clients;
        this.databases = databases;
        this.pinReasons = List.copyOf(pinReasons);
    }

    @Override
    public MetricSnapshots collect() {
        Families f = new Families();
        Map<PoolKey, PoolMeters> meters = new HashMap<>();
        clients.allMeters().forEach(m -> meters.put(m.key(), m));
        for (Pool pool : pools.pools()) {
            Labels labels = labels(pool.key());
            PoolStats stats = pool.stats();
            PoolMeters m = meters.get(pool.key());
            int clients = m == null ? 0 : m.clients();
            serverAndClientGauges(f, labels, stats, clients);
            limits(f, labels, pool.limits());
            PoolHealth.gauges(f, labels, stats, pool.limits(), pool.admin().maxWaitNanos());
            counters(f, labels, pool.counters());
            statementCache(f, labels, pool.statementCounters());
            HostFigures.add(f, labels, pool);
            TenantFigures.add(f, labels, pool);
        }
        meters.values().forEach(m -> sessionFigures(f, m, pinReasons));
        budgets(f);
        return f.build();
    }

    private static void serverAndClientGauges(Families f, Labels labels, PoolStats stats, int clients) {
        String servers = "Backend connections of the pool by state (PgBouncer sv_active, sv_idle, sv_used, sv_login)";
        f.gauge("pgmux_pool_servers", servers, stats.active(), labels.add("state", "active"));
        f.gauge("pgmux_pool_servers", servers, stats.idle(), labels.add("state", "idle"));
        f.gauge("pgmux_pool_servers", servers, stats.used(), labels.add("state", "used"));
        f.gauge("pgmux_pool_servers", servers, stats.login(), labels.add("state", "login"));
        String clientHelp = "Logged-in clients of the pool by state: active (holding a backend), waiting (queued for "
                + "one, PgBouncer cl_waiting), idle (between transactions)";
        int waiting = stats.waiting();
        int active = Math.min(stats.active(), Math.max(0, clients - waiting));
        int idle = Math.max(0, clients - waiting - active);
        f.gauge("pgmux_pool_clients", clientHelp, active, labels.add("state", "active"));
        f.gauge("pgmux_pool_clients", clientHelp, waiting, labels.add("state", "waiting"));
        f.gauge("pgmux_pool_clients", clientHelp, idle, labels.add("state", "idle"));
        f.gauge("pgmux_pool_wait_queue_depth", "Clients queued for a backend now", waiting, labels);
    }

    private static void limits(Families f, Labels labels, PoolLimits limits) {
        f.gauge("pgmux_pool_size_max", "Backends the pool may open (default_pool_size or pool_size)",
                limits.maxSize(), labels);
        f.gauge("pgmux_pool_size_min", "Backends kept open even when idle (min_pool_size)", limits.minSize(), labels);
        f.gauge("pgmux_pool_reserve_size", "Extra backends allowed after reserve_pool_timeout (reserve_pool_size)",
                limits.reserveSize(), labels);
    }

    private static void counters(Families f, Labels labels, PoolCounters c) {
        f.counter("pgmux_pool_exhaustion_events", "Clients that queued because the pool or a shared limit was full",
                c.exhaustionEvents(), labels);
        f.counter("pgmux_pool_waits", "Acquisitions that had to queue, whatever the reason", c.waits(), labels);
        f.counter("pgmux_pool_wait_timeouts", "Clients refused with query_wait_timeout", c.waitTimeouts(), labels);
        f.counter("pgmux_pool_queue_full_refusals", "Clients refused at once because max_waiting_clients were waiting",
                c.queueFullRefusals(), labels);
        f.histogram("pgmux_pool_acquire_seconds", "Borrow latency of every backend lent to a client, queued or not",
                c.acquireLatency().snapshot(), labels);
        f.histogram("pgmux_pool_wait_seconds", "Borrow latency: how long queued clients waited for a backend",
                c.waitLatency().snapshot(), labels);
        f.counter("pgmux_server_connect_attempts", "Backend connections the pool started to open",
                c.connectAttempts(), labels);
        f.counter("pgmux_server_connect_failures", "Backend connects or logins that failed", c.connectFailures(),
                labels);
        f.histogram("pgmux_server_connect_seconds", "Backend connect latency, TCP connect to first ReadyForQuery",
                c.connectLatency().snapshot(), labels);
        f.counter("pgmux_server_closed", "Logged-in backends that left the pool", c.serversClosed(), labels);
    }

    /** Named prepared statements served from a backend (hit), prepared on one (miss), closed for room. */
    private static void statementCache(Families f, Labels labels, StatementCounters c) {
        String help = "Named prepared statement lookups on backends and evictions";
        f.counter("pgmux_prepared_statements_cache", help, c.hits(), labels.add("result", "hit"));
        f.counter("pgmux_prepared_statements_cache", help, c.misses(), labels.add("result", "miss"));
        f.counter("pgmux_prepared_statements_cache", help, c.evictions(), labels.add("result", "eviction"));
    }

    private static void sessionFigures(Families f, PoolMeters m, List<String> pinReasons) {
        Labels labels = labels(m.key());
        f.histogram("pgmux_query_duration_seconds", "Request to ReadyForQuery, waiting for a backend included",
                m.queryResponse.snapshot(), labels);
        f.histogram("pgmux_query_database_duration_seconds", "Request written to the backend to its ReadyForQuery",
                m.queryDatabase.snapshot(), labels);
        f.histogram("pgmux_transaction_duration_seconds", "Transactions, first statement to idle ReadyForQuery",
                m.transactions.snapshot(), labels);
        f.counter("pgmux_client_received_bytes", "Bytes received from logged-in clients", m.bytesReceived(), labels);
        f.counter("pgmux_client_sent_bytes", "Bytes sent to logged-in clients", m.bytesSent(), labels);
        f.gauge("pgmux_pool_pinned_backends", "Backends of the pool pinned to their client now", m.pinnedNow.get(),
                labels);
        for (String reason : pinReasons) {
            var count = m.pins.get(reason);
            f.counter("pgmux_pool_pins", "Pins of the pool's backends by first reason", count == null ? 0 : count.sum(),
                    labels.add("reason", reason));
        }
        m.pins.forEach((reason, count) -> {
            if (!pinReasons.contains(reason)) {
                f.counter("pgmux_pool_pins", "Pins of the pool's backends by first reason", count.sum(),
                        labels.add("reason", reason));
            }
        });
        m.errors.forEach((sqlClass, count) -> f.counter("pgmux_client_errors",
                "ErrorResponses sent to clients by SQLSTATE class", count, labels.add("sqlstate_class", sqlClass)));
    }

    private void budgets(Families f) {
        for (String database : databases.get()) {
            ConnectionBudget budget = pools.databaseBudget(database);
            if (budget != null) {
                Labels labels = Labels.of("database", database);
                f.gauge("pgmux_database_connections", "Backends of the database, all pools", budget.used(), labels);
                f.gauge("pgmux_database_connections_max", "max_db_connections; 0 = unlimited", budget.limit(),
                        labels);
            }
        }
    }

    private static Labels labels(PoolKey key) {
        return Labels.of("database", key.database(), "user", key.user());
    }
}
