// Tests the type-byte tables, transaction status codes and the exception types.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.DecoderException;

import org.junit.jupiter.api.Test;

class ProtocolBasicsTest {

    @Test
    void namesFrontendTypes() {
        assertThat(FrontendType.name(FrontendType.QUERY)).isEqualTo("Query");
        assertThat(FrontendType.name(FrontendType.PASSWORD_MESSAGE)).isEqualTo("PasswordMessage");
        assertThat(FrontendType.isKnown((byte) 'X')).isTrue();
        assertThat(FrontendType.isKnown((byte) 'Z')).isFalse();
        assertThat(FrontendType.name((byte) 0xF1)).isEqualTo("unknown(0xf1)");
    }

    @Test
    void everyFrontendTypeIsKnownAndNoOtherIs() {
        int known = 0;
        for (int b = 0; b < 256; b++) {
            if (FrontendType.isKnown((byte) b)) {
                known++;
            }
        }
        assertThat(known).isEqualTo(14);
    }

    @Test
    void namesBackendTypes() {
        assertThat(BackendType.name(BackendType.READY_FOR_QUERY)).isEqualTo("ReadyForQuery");
        assertThat(BackendType.name(BackendType.COMMAND_COMPLETE)).isEqualTo("CommandComplete");
        assertThat(BackendType.isKnown((byte) 'Q')).isFalse();
        assertThat(BackendType.name((byte) 0)).isEqualTo("unknown(0x00)");
    }

    @Test
    void mapsTransactionStatusBytes() {
        for (TransactionStatus status : TransactionStatus.values()) {
            assertThat(TransactionStatus.of(status.code())).isEqualTo(status);
        }
        assertThatThrownBy(() -> TransactionStatus.of((byte) 'i')).isInstanceOf(ProtocolException.class);
    }

    @Test
    void protocolExceptionIsFatalProtocolViolation() {
        ProtocolException error = new ProtocolException("boom");

        assertThat(error.severity()).isEqualTo(Severity.FATAL);
        assertThat(error.sqlState()).isEqualTo("08P01");
        assertThat(error).hasMessage("boom");
        assertThat(error.detail()).isNull();
    }

    @Test
    void unwrapFindsPgExceptionInCauseChain() {
        PgException inner = new PgException(Severity.ERROR, SqlState.QUERY_CANCELED, "canceled", "d", "h");

        assertThat(ProtocolException.unwrap(new DecoderException(new RuntimeException(inner)))).isSameAs(inner);
        assertThat(ProtocolException.unwrap(inner)).isSameAs(inner);
        assertThat(ProtocolException.unwrap(new IllegalStateException("x"))).isNull();
        assertThat(ProtocolException.unwrap(null)).isNull();
    }

    @Test
    void unwrapSurvivesCausalCycles() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(ProtocolException.unwrap(a)).isNull();
    }
}
