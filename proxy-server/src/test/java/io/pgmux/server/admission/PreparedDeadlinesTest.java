// The extended-protocol messages of a SET or RESET of pgmux.wait_deadline, answered without PostgreSQL.
package io.pgmux.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pgmux.protocol.Describe;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.server.requests.ClientAnswers;
import io.pgmux.server.requests.RequestQueue;
import io.pgmux.testing.DetectLeaks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checked by the messages the client receives (their type bytes) and by the changes applied to its deadline. */
@DetectLeaks
class PreparedDeadlinesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private final List<ByteBuf> delivered = new ArrayList<>();
    private final RequestQueue queue = new RequestQueue(new ClientAnswers() {
        @Override
        public void write(ByteBuf message) {
            delivered.add(message);
        }

        @Override
        public TransactionStatus transactionStatus() {
            return TransactionStatus.IDLE;
        }
    });
    private final List<DeadlineStatements.Change> applied = new ArrayList<>();
    private final PreparedDeadlines deadlines = new PreparedDeadlines(ALLOC, change -> {
        applied.add(change);
        return () -> applied.remove(applied.size() - 1);
    }, () -> "1500ms");

    @AfterEach
    void releaseEverything() {
        queue.clear();
        delivered.forEach(ByteBuf::release);
    }

    @Test
    void anUnnamedSetIsAnsweredLikePostgresqlAndAppliesAtItsExecute() {
        assertThat(answered(parse("", "SET pgmux.wait_deadline = '2s'"))).isTrue();
        assertThat(applied).as("nothing before the Execute").isEmpty();
        assertThat(answered(FrontendMessages.bind(ALLOC, "", ""))).isTrue();
        assertThat(answered(describe(Describe.PORTAL, ""))).isTrue();
        assertThat(answered(execute(""))).isTrue();
        assertThat(types()).isEqualTo("12nC");
        assertThat(text(delivered.get(3))).contains("SET");
        assertThat(applied).containsExactly(new DeadlineStatements.Set("2s"));
    }

    @Test
    void aNamedStatementIsPgmuxsUntilClosedAndItsNameCannotBeParsedAgain() {
        assertThat(answered(parse("S_1", "RESET pgmux.wait_deadline"))).isTrue();
        assertThat(answered(describe(Describe.STATEMENT, "S_1"))).isTrue();
        for (int i = 0; i < 2; i++) {
            assertThat(answered(FrontendMessages.bind(ALLOC, "", "S_1"))).isTrue();
            assertThat(answered(execute(""))).isTrue();
        }
        assertThat(types()).isEqualTo("1tn2C2C");
        assertThat(applied).containsExactly(new DeadlineStatements.Reset(), new DeadlineStatements.Reset());

        assertThat(answered(parse("S_1", "SELECT 1"))).isTrue();
        assertThat(types()).endsWith("E");
        assertThat(text(delivered.get(delivered.size() - 1))).contains("42P05")
                .contains("prepared statement \"S_1\" already exists");
        queue.skip(FrontendType.SYNC);

        assertThat(answered(FrontendMessages.close(ALLOC, Close.STATEMENT, "S_1"))).isTrue();
        assertThat(types()).endsWith("3");
        assertPassed(FrontendMessages.bind(ALLOC, "", "S_1"));
    }

    @Test
    void aShowIsAnsweredWithARowOfTheClientsDeadline() {
        assertThat(answered(parse("S_2", "SHOW pgmux.wait_deadline"))).isTrue();
        assertThat(answered(describe(Describe.STATEMENT, "S_2"))).isTrue();
        assertThat(answered(FrontendMessages.bind(ALLOC, "", "S_2"))).isTrue();
        assertThat(answered(describe(Describe.PORTAL, ""))).isTrue();
        assertThat(answered(execute(""))).isTrue();
        assertThat(types()).isEqualTo("1tT2TDC");
        assertThat(text(delivered.get(2))).contains("pgmux.wait_deadline");
        assertThat(text(delivered.get(5))).contains("1500ms");
        assertThat(text(delivered.get(6))).contains("SHOW");
        assertThat(applied).isEmpty();
    }

    @Test
    void aBadValueIsRefusedAtTheParseWith22023AndCreatesNoStatement() {
        assertThat(answered(parse("", "SET pgmux.wait_deadline = 'soon'"))).isTrue();
        assertThat(types()).isEqualTo("E");
        assertThat(text(delivered.get(0))).contains("22023").contains("pgmux.wait_deadline");
        queue.skip(FrontendType.SYNC);
        assertPassed(FrontendMessages.bind(ALLOC, "", ""));
        assertThat(applied).isEmpty();
    }

    @Test
    void aParseBehindUnansweredRequestsAndOtherStatementsGoOn() {
        ByteBuf busy = parse("", "SET pgmux.wait_deadline = '2s'");
        try {
            assertThat(deadlines.answer(busy, FrontendType.PARSE, queue, false)).isFalse();
        } finally {
            busy.release();
        }
        assertPassed(parse("", "SET statement_timeout = '2s'"));
        assertPassed(parse("", "SET LOCAL pgmux.wait_deadline = '2s'"));
        assertPassed(FrontendMessages.bind(ALLOC, "", ""));
        assertThat(types()).isEmpty();
    }

    @Test
    void aSimpleQueryDropsTheUnnamedStatementAndPortal() {
        assertThat(answered(parse("", "SET pgmux.wait_deadline = '2s'"))).isTrue();
        assertThat(answered(FrontendMessages.bind(ALLOC, "", ""))).isTrue();
        deadlines.queryArrived();
        assertPassed(FrontendMessages.bind(ALLOC, "", ""));
        assertPassed(execute(""));
        assertThat(applied).isEmpty();
    }

    @Test
    void anotherUnnamedParseTakesTheUnnamedStatementBack() {
        assertThat(answered(parse("", "SET pgmux.wait_deadline = '2s'"))).isTrue();
        assertPassed(parse("", "SELECT 1"));
        assertPassed(FrontendMessages.bind(ALLOC, "", ""));
    }

    @Test
    void aSkippedExecuteTakesItsChangeBack() {
        assertThat(answered(parse("", "SET pgmux.wait_deadline = '2s'"))).isTrue();
        assertThat(answered(FrontendMessages.bind(ALLOC, "", ""))).isTrue();
        queue.expect(RequestQueue.EXECUTE); // an earlier request of the batch, still with the backend
        assertThat(answered(execute(""))).isTrue();
        assertThat(applied).hasSize(1);
        ByteBuf error = Unpooled.buffer().writeByte('E').writeInt(4 + 1).writeByte(0);
        queue.onServerFrame(error, (byte) 'E');
        assertThat(applied).as("the backend failed the request before it: the batch was skipped").isEmpty();
    }

    private boolean answered(ByteBuf frame) {
        boolean taken = deadlines.answer(frame, frame.getByte(0), queue, true);
        if (!taken) {
            frame.release();
        }
        return taken;
    }

    private void assertPassed(ByteBuf frame) {
        try {
            assertThat(deadlines.answer(frame, frame.getByte(0), queue, true)).as("passed on").isFalse();
        } finally {
            frame.release();
        }
    }

    private String types() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf message : delivered) {
            out.append((char) message.getByte(0));
        }
        return out.toString();
    }

    private static String text(ByteBuf message) {
        return message.toString(StandardCharsets.UTF_8);
    }

    private static ByteBuf parse(String name, String sql) {
        return FrontendMessages.parse(ALLOC, name, sql, new int[0]);
    }

    private static ByteBuf describe(byte kind, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte(FrontendType.DESCRIBE).writeInt(4 + 1 + n.length + 1).writeByte(kind)
                .writeBytes(n).writeByte(0);
    }

    private static ByteBuf execute(String portal) {
        byte[] n = portal.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte(FrontendType.EXECUTE).writeInt(4 + n.length + 1 + 4).writeBytes(n)
                .writeByte(0).writeInt(0);
    }
}
