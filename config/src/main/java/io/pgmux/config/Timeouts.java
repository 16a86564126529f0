// Time limits applied to clients and server connections (the `timeouts` section).
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code timeouts} section. {@link Duration#ZERO} means "disabled" for {@code clientIdleTimeout},
 * {@code idleTransactionTimeout}, {@code queryTimeout}, {@code queryWaitNotify} and {@code transactionTimeout}, and "check every time" for
 * {@code serverCheckDelay}; every other value is always positive when loaded from configuration.
 *
 * @param clientLoginTimeout     {@code timeouts.client_login_timeout}: a client must finish logging in within this
 * @param queryWaitTimeout       {@code timeouts.query_wait_timeout}: longest wait for a free server connection
 * @param serverConnectTimeout   {@code timeouts.server_connect_timeout}: connecting and logging in to a server
 * @param serverIdleTimeout      {@code timeouts.server_idle_timeout}: close server connections idle longer than this
 * @param serverLifetime         {@code timeouts.server_lifetime}: close server connections older than this when idle
 * @param serverLoginRetry       {@code timeouts.server_login_retry}: pause after a failed server login before retrying
 * @param clientIdleTimeout      {@code timeouts.client_idle_timeout}: disconnect idle clients, 0 = off
 * @param idleTransactionTimeout {@code timeouts.idle_transaction_timeout}: disconnect clients idle inside a transaction, 0 = off
 * @param queryTimeout           {@code timeouts.query_timeout}: cancel queries running longer than this, 0 = off
 * @param shutdownTimeout        {@code timeouts.shutdown_timeout}: how long a graceful shutdown waits for clients
 * @param queryWaitNotify        {@code timeouts.query_wait_notify}: a client waiting this long for a server connection
 *                               is sent a NoticeResponse saying so, 0 = off
 * @param serverCheckDelay       {@code timeouts.server_check_delay}: a server connection idle longer than this runs
 *                               {@code pool.server_check_query} before it is lent again, 0 = before every lending
 * @param transactionTimeout     {@code timeouts.transaction_timeout}: disconnect clients whose transaction (or single
 *                               statement outside one) has lasted longer than this, 0 = off
 */
public record Timeouts(Duration clientLoginTimeout, Duration queryWaitTimeout, Duration serverConnectTimeout,
        Duration serverIdleTimeout, Duration serverLifetime, Duration serverLoginRetry, Duration clientIdleTimeout,
        Duration idleTransactionTimeout, Duration queryTimeout, Duration shutdownTimeout, Duration queryWaitNotify,
        Duration serverCheckDelay, Duration transactionTimeout) {

    /** @throws NullPointerException if any duration is null */
    public Timeouts {
        Objects.requireNonNull(clientLoginTimeout, "clientLoginTimeout");
        Objects.requireNonNull(queryWaitTimeout, "queryWaitTimeout");
        Objects.requireNonNull(serverConnectTimeout, "serverConnectTimeout");
        Objects.requireNonNull(serverIdleTimeout, "serverIdleTimeout");
        Objects.requireNonNull(serverLifetime, "serverLifetime");
        Objects.requireNonNull(serverLoginRetry, "serverLoginRetry");
        Objects.requireNonNull(clientIdleTimeout, "clientIdleTimeout");
        Objects.requireNonNull(idleTransactionTimeout, "idleTransactionTimeout");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(queryWaitNotify, "queryWaitNotify");
        Objects.requireNonNull(serverCheckDelay, "serverCheckDelay");
        Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    }

    /** The timeouts without a transaction_timeout. */
    public Timeouts(Duration clientLoginTimeout, Duration queryWaitTimeout, Duration serverConnectTimeout,
            Duration serverIdleTimeout, Duration serverLifetime, Duration serverLoginRetry, Duration clientIdleTimeout,
            Duration idleTransactionTimeout, Duration queryTimeout, Duration shutdownTimeout, Duration queryWaitNotify,
            Duration serverCheckDelay) {
        this(clientLoginTimeout, queryWaitTimeout, serverConnectTimeout, serverIdleTimeout, serverLifetime,
                serverLoginRetry, clientIdleTimeout, idleTransactionTimeout, queryTimeout, shutdownTimeout,
                queryWaitNotify, serverCheckDelay, Duration.ZERO);
    }

    /** The documented defaults (60s, 120s, 15s, 600s, 3600s, 15s, off, off, off, 30s, 5s, 30s, off). */
    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(15),
                Duration.ofSeconds(600), Duration.ofSeconds(3600), Duration.ofSeconds(15), Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ZERO);
    }

    /** These timeouts with other client timeouts; a null argument keeps the value it replaces. */
    public Timeouts withClientTimeouts(Duration query, Duration idleTransaction, Duration clientIdle) {
        return new Timeouts(clientLoginTimeout, queryWaitTimeout, serverConnectTimeout, serverIdleTimeout,
                serverLifetime, serverLoginRetry, clientIdle != null ? clientIdle : clientIdleTimeout,
                idleTransaction != null ? idleTransaction : idleTransactionTimeout,
                query != null ? query : queryTimeout, shutdownTimeout, queryWaitNotify, serverCheckDelay, transactionTimeout);
    }
}
