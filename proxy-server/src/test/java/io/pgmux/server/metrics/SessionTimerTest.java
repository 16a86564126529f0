package io.pgmux.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.pool.PoolKey;
import org.junit.jupiter.api.Test;

class SessionTimerTest {
    private final PoolMeters meters = new PoolMeters(new PoolKey("app", "app"));
    private final SessionTimer timer = new SessionTimer(meters);

    @Test
    void autocommitStatementIsOneQueryAndOneTransaction() throws Exception {
        timer.requestArrived();
        Thread.sleep(5); // waited for a backend
        timer.forwarded();
        timer.answered(true);
        assertThat(meters.queryCount()).isEqualTo(1);
        assertThat(meters.transactionCount()).isEqualTo(1);
        long response = meters.queryLatency().sumNanos();
        long database = meters.queryDatabaseLatency().sumNanos();
        assertThat(response - database).isGreaterThanOrEqualTo(5_000_000L);
    }

    @Test
    void explicitTransactionCountsEveryRequestButOneTransaction() {
        for (int request = 0; request < 3; request++) { // BEGIN, INSERT, COMMIT
            timer.requestArrived();
            timer.forwarded();
            timer.forwarded(); // several messages of one request
            timer.answered(request == 2);
        }
        assertThat(meters.queryCount()).isEqualTo(3);
        assertThat(meters.transactionCount()).isEqualTo(1);
    }

    @Test
    void requestAnsweredByPgmuxItselfIsNotCounted() {
        timer.requestArrived();
        timer.answered(true);
        assertThat(meters.queryCount()).isZero();
        assertThat(meters.transactionCount()).isZero();
        timer.forwarded(); // the next request starts its own clock
        timer.answered(true);
        assertThat(meters.queryCount()).isEqualTo(1);
    }
}
