package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.Test;

@DetectLeaks
class FleetSlotDoubtTest {

    @Test
    void aQueryNamingAdvisoryOrDiscardInAnyCaseRaisesDoubt() {
        assertThat(raised("SELECT pg_advisory_unlock_all()")).isTrue();
        assertThat(raised("select 1, PG_ADVISORY_UNLOCK(1)")).isTrue();
        assertThat(raised("DISCARD ALL")).isTrue();
        assertThat(raised("discard all")).isTrue();
    }

    @Test
    void otherQueriesDoNot() {
        assertThat(raised("SELECT 1")).isFalse();
        assertThat(raised("SELECT 'advisor', 'discar'")).isFalse();
        assertThat(raised("UPDATE t SET a = 1")).isFalse();
    }

    @Test
    void aParseNamingThemRaisesDoubtAndOtherMessagesNever() {
        ByteBuf parse = FrontendMessages.parse(ByteBufAllocator.DEFAULT, "s", "SELECT pg_advisory_unlock_all()",
                new int[0]);
        try {
            assertThat(FleetSlotDoubt.raisedBy(parse)).isTrue();
        } finally {
            parse.release();
        }
        ByteBuf sync = FrontendMessages.sync();
        try {
            assertThat(FleetSlotDoubt.raisedBy(sync)).isFalse();
        } finally {
            sync.release();
        }
    }

    private static boolean raised(String sql) {
        ByteBuf query = FrontendMessages.query(ByteBufAllocator.DEFAULT, sql);
        try {
            return FleetSlotDoubt.raisedBy(query);
        } finally {
            query.release();
        }
    }
}
