// Virtual functions on the non-blocking client: thousands in flight on a couple of event-loop threads.
package io.pgmux.loadtest.driver;

import io.pgmux.loadtest.client.PgClient;
import io.pgmux.loadtest.client.PgClientFactory;
import io.pgmux.loadtest.client.QueryResult;
import io.pgmux.loadtest.workload.TenantMix;
import io.pgmux.loadtest.workload.TransactionKind;
import io.pgmux.loadtest.workload.TransactionSpec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Each function: connect with a fresh {@link PgClient}, run the transaction, idle for the think time, disconnect. */
public final class NettyFunctionDriver implements FunctionDriver {
    private final Target target;
    private final Credentials credentials;
    private final TransactionSpec transaction;
    private final PgClientFactory factory;
    private final ScheduledExecutorService thinkTimer;
    private final TenantMix tenants;

    public NettyFunctionDriver(Target target, Credentials credentials, TransactionSpec transaction, int threads) {
        this(target, credentials, transaction, threads, TenantMix.NONE);
    }

    /** Functions connect as their tenant of {@code tenants}, stating its wait deadline. */
    public NettyFunctionDriver(Target target, Credentials credentials, TransactionSpec transaction, int threads,
                               TenantMix tenants) {
        this.tenants = tenants;
        this.target = target;
        this.credentials = credentials;
        this.transaction = transaction;
        this.factory = new PgClientFactory(threads, Duration.ofMillis(credentials.connectTimeoutMillis()));
        this.thinkTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "loadtest-think-time");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String clientName() {
        return "netty";
    }

    @Override
    public CompletableFuture<FunctionOutcome> run(String runId, long id) {
        long start = System.nanoTime();
        return factory.connect(target.host(), target.port(), credentials.user(), credentials.password(),
                        credentials.database(), tenants.startupParameters(id))
                .handle((client, error) -> error != null
                        ? CompletableFuture.completedFuture(FunctionOutcome.connectFailed(error))
                        : afterConnect(client, runId, id, System.nanoTime() - start))
                .thenCompose(f -> f);
    }

    private CompletableFuture<FunctionOutcome> afterConnect(PgClient client, String runId, long id, long connectNanos) {
        long txStart = System.nanoTime();
        return transaction(client, runId, id)
                .orTimeout(credentials.transactionTimeoutMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> error != null
                        ? FunctionOutcome.transactionFailed(connectNanos, error)
                        : FunctionOutcome.success(connectNanos, System.nanoTime() - txStart))
                .thenCompose(outcome -> thinkThenClose(client, outcome));
    }

    private CompletableFuture<QueryResult> transaction(PgClient client, String runId, long id) {
        if (transaction.kind() == TransactionKind.PREPARED) {
            return client.execute(TransactionSpec.STATEMENT_NAME, TransactionSpec.PREPARED_SQL,
                    List.of(String.valueOf(id)));
        }
        CompletableFuture<QueryResult> chain = CompletableFuture.completedFuture(null);
        for (String sql : transaction.statements(runId, id)) {
            chain = chain.thenCompose(previous -> client.query(sql));
        }
        return chain;
    }

    /** A failed function disconnects at once; a successful one stays connected and idle for the think time. */
    private CompletableFuture<FunctionOutcome> thinkThenClose(PgClient client, FunctionOutcome outcome) {
        CompletableFuture<FunctionOutcome> done = new CompletableFuture<>();
        Runnable close = () -> client.close().whenComplete((v, e) -> done.complete(outcome));
        if (outcome.succeeded() && transaction.thinkTimeMillis() > 0) {
            thinkTimer.schedule(close, transaction.thinkTimeMillis(), TimeUnit.MILLISECONDS);
        } else {
            close.run();
        }
        return done;
    }

    @Override
    public void close() {
        thinkTimer.shutdownNow();
        factory.close();
    }
}
