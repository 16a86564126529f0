package io.pgmux.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which statements end a transaction that was lost with its backend (the rest get 25P02). */
@DetectLeaks
class AbandonedTransactionTest {

    @ParameterizedTest
    @ValueSource(strings = {"ROLLBACK", "rollback;", "ABORT", "COMMIT", "commit work", "END TRANSACTION",
        "/* done */ rollback transaction", "COMMIT AND NO CHAIN"})
    void endTheTransaction(String sql) {
        assertThat(AbandonedTransaction.endsTransaction(sql)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ROLLBACK TO SAVEPOINT a", "rollback to a", "COMMIT PREPARED 'x'", "ROLLBACK; SELECT 1",
        "SELECT 1", "BEGIN", "", "SAVEPOINT a", "RELEASE a", "end; end"})
    void doNot(String sql) {
        assertThat(AbandonedTransaction.endsTransaction(sql)).isFalse();
    }
}
