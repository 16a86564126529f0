package io.pgmux.server.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.testing.DetectLeaks;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue alone: sequences of client requests and server answers, checked by the messages the client receives
 * (their type bytes, and the status of each ReadyForQuery) and by when the backend may be given back.
 */
@DetectLeaks
class RequestQueueTest {
    private final List<ByteBuf> delivered = new ArrayList<>();
    private TransactionStatus status = TransactionStatus.IDLE;
    private final RequestQueue queue = new RequestQueue(new ClientAnswers() {
        @Override
        public void write(ByteBuf message) {
            delivered.add(message);
        }

        @Override
        public TransactionStatus transactionStatus() {
            return status;
        }
    });
    private final List<String> undone = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        queue.clear();
        delivered.forEach(ByteBuf::release);
    }

    @Test
    void swallowsTheAnswerToAnAddedParseAndKeepsTheOrder() {
        queue.expect(RequestQueue.PARSE, RequestQueue.SWALLOW, null, null);
        clientSends("BES");
        assertThat(serverSends("12DCZ")).isTrue();
        assertThat(types()).isEqualTo("2DCZ");
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void answersOwedByPgmuxWaitForEarlierServerAnswers() {
        clientSends("B");
        queue.answer(message(BackendType.PARSE_COMPLETE), null);
        clientSends("S");
        assertThat(types()).isEmpty();
        assertThat(serverSends("2")).isFalse();
        assertThat(types()).isEqualTo("21");
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("21Z");
    }

    @Test
    void aLostServerAnswersEachPipelinedRequestWithOneErrorAndItsReadyForQuery() {
        clientSends("Q");
        queue.expect(RequestQueue.PARSE, RequestQueue.RELAY, null, () -> undone.add("lost parse"));
        clientSends("BES");
        queue.answer(message(BackendType.CLOSE_COMPLETE), () -> undone.add("dropped close"));
        clientSends("SQ");
        status = TransactionStatus.IDLE;

        assertThat(queue.serverLost(() -> message(BackendType.ERROR_RESPONSE))).isTrue();

        assertThat(types()).isEqualTo("EZEZ3EZEZ");
        assertThat(undone).containsExactly("lost parse");
        assertThat(queue.mayGiveBack()).isTrue();
        assertThat(queue.skipping()).isFalse();
    }

    @Test
    void aLostServerMidBatchFailsItAndSkipsToTheClientsSync() {
        clientSends("PB");

        assertThat(queue.serverLost(() -> message(BackendType.ERROR_RESPONSE))).isFalse();

        assertThat(types()).isEqualTo("E");
        assertThat(queue.skipping()).isTrue();
        assertThat(queue.skip(FrontendType.EXECUTE)).isFalse(); // dropped by the session, as after any refusal
        assertThat(queue.skip(FrontendType.SYNC)).isTrue();
        assertThat(types()).isEqualTo("EZ");
    }

    @Test
    void anAnswerWithNothingOwedBeforeItGoesAtOnce() {
        queue.answer(message(BackendType.CLOSE_COMPLETE), null);
        assertThat(types()).isEqualTo("3");
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void anErrorMidBatchSkipsEverythingUpToTheSyncAndUndoesIt() {
        queue.expect(RequestQueue.PARSE, RequestQueue.RELAY, null, () -> undone.add("failed parse"));
        queue.expect(RequestQueue.PARSE, RequestQueue.SWALLOW, null, () -> undone.add("skipped parse"));
        queue.answer(message(BackendType.CLOSE_COMPLETE), () -> undone.add("skipped close"));
        clientSends("BEQS"); // PostgreSQL skips even a Query after an extended-protocol error
        assertThat(serverSends("E")).isFalse();
        assertThat(queue.mayGiveBack()).isFalse();
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("EZ");
        assertThat(undone).containsExactly("failed parse", "skipped parse", "skipped close");
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void aQueryAfterAnExtendedErrorIsSkippedAndOnlyTheSyncEndsTheBatch() {
        clientSends("PHQ"); // the backend ignores the Query after failing the Parse, until a Sync
        assertThat(serverSends("E")).isFalse();
        assertThat(queue.busy()).isFalse();
        assertThat(queue.mayGiveBack()).as("the backend still skips to a Sync").isFalse();
        assertThat(queue.answersAlone(TransactionStatus.IDLE)).isFalse();
        clientSends("S");
        assertThat(serverSends("Z")).isTrue();
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void errorsInsideASimpleQueryOrACommitStartNoSkipping() {
        clientSends("QS");
        assertThat(serverSends("EZ")).isFalse();
        assertThat(serverSends("EZ")).isTrue();
        assertThat(types()).isEqualTo("EZEZ");
    }

    @Test
    void aReplacedErrorTakesThePlaceOfTheServersOwn() {
        ByteBuf mine = message(BackendType.ERROR_RESPONSE).writeByte('m');
        queue.expect(RequestQueue.BIND, RequestQueue.REPLACE_ERROR, mine, null);
        clientSends("S");
        ByteBuf theirs = message(BackendType.ERROR_RESPONSE);
        queue.onServerFrame(theirs, BackendType.ERROR_RESPONSE);
        assertThat(theirs.refCnt()).isZero();
        assertThat(delivered).containsExactly(mine);
    }

    @Test
    void asynchronousMessagesPassThroughAnywhere() {
        clientSends("D");
        serverSends("NtTA");
        assertThat(types()).isEqualTo("NtTA");
        assertThat(queue.mayGiveBack()).as("the batch has no Sync yet").isFalse();
    }

    @Test
    void pipelinedBatchesGiveTheBackendBackOnlyAfterTheLastSync() {
        clientSends("BESBES");
        assertThat(queue.busy()).isTrue();
        assertThat(serverSends("2CZ")).as("one Sync still owed").isFalse();
        assertThat(queue.mayGiveBack()).isFalse();
        assertThat(serverSends("2CZ")).isTrue();
        assertThat(queue.mayGiveBack()).isTrue();
        assertThat(queue.busy()).isFalse();
    }

    @Test
    void flushWithoutSyncDeliversTheAnswersButKeepsTheBatchOnItsBackend() {
        clientSends("PH");
        assertThat(queue.busy()).isFalse();
        assertThat(serverSends("1")).isFalse();
        assertThat(types()).isEqualTo("1");
        assertThat(queue.mayGiveBack()).isFalse();
        assertThat(queue.midRequest()).isTrue();
        clientSends("BES");
        assertThat(serverSends("2CZ")).isTrue();
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void copyInOfASimpleQuery() {
        clientSends("Q");
        serverSends("G");
        clientSends("dd");
        clientSends("S"); // PostgreSQL ignores a Sync during COPY FROM STDIN
        assertThat(queue.mayGiveBack()).isFalse();
        clientSends("c");
        assertThat(serverSends("CZ")).isTrue();
        assertThat(types()).isEqualTo("GCZ");
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void copyInOfAnExtendedBatchOwesNothingForTheSyncSentBehindItsExecute() {
        clientSends("PBDES"); // libpq's PQexecParams, which does not know the statement is a COPY
        serverSends("12nG");
        clientSends("ddc");
        assertThat(queue.mayGiveBack()).isFalse();
        clientSends("S"); // and libpq's Sync after the copy
        assertThat(serverSends("C")).isFalse();
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("12nGCZ");
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void copyDataPipelinedBeforeTheCopyBegan() {
        clientSends("Qddc");
        serverSends("G");
        assertThat(queue.mayGiveBack()).isFalse();
        assertThat(serverSends("CZ")).isTrue();
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void aFailedCopyLeavesCopyModeAndItsSyncCounts() {
        clientSends("PBES");
        serverSends("12G");
        clientSends("df");
        clientSends("S");
        assertThat(serverSends("E")).isFalse();
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("12GEZ");
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void copyOutIsRelayedUntilItsCommandComplete() {
        clientSends("Q");
        assertThat(serverSends("Hddc")).isFalse();
        assertThat(serverSends("CZ")).isTrue();
        assertThat(types()).isEqualTo("HddcCZ");
    }

    @Test
    void aRefusedQueryIsAnsweredWithErrorAndReadyForQuery() {
        status = TransactionStatus.IN_TRANSACTION;
        assertThat(queue.refuse(message(BackendType.ERROR_RESPONSE), FrontendType.QUERY)).isTrue();
        assertThat(types()).isEqualTo("EZ");
        assertThat(readyStatus(1)).isEqualTo('T');
        assertThat(queue.skipping()).isFalse();
    }

    @Test
    void aRefusedExtendedMessageSkipsTheClientsBatchUpToItsSync() {
        assertThat(queue.refuse(message(BackendType.ERROR_RESPONSE), FrontendType.PARSE)).isFalse();
        assertThat(queue.skipping()).isTrue();
        assertThat(queue.skip(FrontendType.BIND)).isFalse();
        assertThat(queue.skip(FrontendType.EXECUTE)).isFalse();
        assertThat(queue.skip(FrontendType.SYNC)).isTrue();
        assertThat(queue.skipping()).isFalse();
        assertThat(types()).isEqualTo("EZ");
        assertThat(readyStatus(1)).isEqualTo('I');
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void aRefusalInsideATransactionMakesTheBackendFailInStep() {
        clientSends("P");
        serverSends("1");
        ByteBuf mine = message(BackendType.ERROR_RESPONSE).writeByte('m');
        ByteBuf request = queue.refuseInStep(mine, ByteBufAllocator.DEFAULT);
        try {
            assertThat(Frames.type(request)).isEqualTo(FrontendType.BIND);
        } finally {
            request.release();
        }
        clientSends("BES"); // the backend skips these after failing the Bind
        ByteBuf theirs = message(BackendType.ERROR_RESPONSE);
        assertThat(queue.onServerFrame(theirs, BackendType.ERROR_RESPONSE)).isFalse();
        assertThat(theirs.refCnt()).isZero();
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("1EZ");
        assertThat(delivered.get(1)).isSameAs(mine);
    }

    @Test
    void localAnswersInterleavedWithTheServersKeepTheirPlace() {
        clientSends("B");
        queue.answer(message(BackendType.PARSE_COMPLETE), null);
        clientSends("E");
        queue.answer(message(BackendType.CLOSE_COMPLETE), null);
        clientSends("S");
        assertThat(serverSends("2")).isFalse();
        assertThat(serverSends("C")).isFalse();
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("21C3Z");
    }

    @Test
    void aSyncPgmuxAnswersWaitsBehindTheServersAnswersAndReportsTheStatusThen() {
        clientSends("Q");
        assertThat(queue.answerSync()).isFalse();
        assertThat(queue.busy()).isTrue();
        status = TransactionStatus.IN_TRANSACTION;
        serverSends("C");
        assertThat(serverSends("Z")).isTrue();
        assertThat(types()).isEqualTo("CZZ");
        assertThat(readyStatus(2)).isEqualTo('T');
    }

    @Test
    void pgmuxAnswersAloneOnlyWhileTheBackendHasNothingOfTheClientsOpen() {
        assertThat(queue.answersAlone(TransactionStatus.IDLE)).isTrue();
        assertThat(queue.answersAlone(TransactionStatus.IN_TRANSACTION)).isFalse();
        clientSends("P");
        serverSends("1");
        assertThat(queue.answersAlone(TransactionStatus.IDLE)).as("batch open").isFalse();
        clientSends("S");
        assertThat(queue.answersAlone(TransactionStatus.IDLE)).as("Sync owed").isFalse();
        serverSends("Z");
        assertThat(queue.answersAlone(TransactionStatus.IDLE)).isTrue();
    }

    @Test
    void anUnexpectedReadyForQueryEndsEverythingUpToItsSync() {
        clientSends("BES");
        assertThat(serverSends("Z")).isTrue();
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void growsPastItsInitialSizeInOrder() {
        for (int i = 0; i < 100; i++) {
            clientSends("B");
            queue.answer(message(BackendType.PARSE_COMPLETE), null);
        }
        for (int i = 0; i < 100; i++) {
            serverSends("2");
        }
        assertThat(types()).isEqualTo("21".repeat(100));
    }

    @Test
    void clearReleasesHeldAnswersWithoutDeliveringThem() {
        clientSends("B");
        ByteBuf held = message(BackendType.PARSE_COMPLETE);
        queue.answer(held, null);
        queue.clear();
        assertThat(held.refCnt()).isZero();
        assertThat(delivered).isEmpty();
        assertThat(queue.mayGiveBack()).isTrue();
    }

    @Test
    void theSteadyStateAllocatesNothing() {
        RequestQueue quiet = new RequestQueue(new ClientAnswers() {
            @Override
            public void write(ByteBuf message) {
            }

            @Override
            public TransactionStatus transactionStatus() {
                return TransactionStatus.IDLE;
            }
        });
        // Unreleasable, so one buffer per type serves every round; paranoid leak detection tracks none of them.
        ByteBuf[] answers = new ByteBuf[128];
        for (char type : "12nDCZ".toCharArray()) {
            answers[type] = Unpooled.unreleasableBuffer(Unpooled.buffer(5).writeByte(type).writeInt(4));
        }
        byte[] serverTypes = {'1', '2', 'n', 'D', 'D', 'C', 'Z'};
        Runnable rounds = () -> {
            for (int i = 0; i < 200_000; i++) {
                quiet.expect(RequestQueue.PARSE, RequestQueue.SWALLOW, null, null);
                quiet.sent(FrontendType.BIND);
                quiet.sent(FrontendType.DESCRIBE);
                quiet.sent(FrontendType.EXECUTE);
                quiet.sent(FrontendType.SYNC);
                for (byte type : serverTypes) {
                    quiet.onServerFrame(answers[type], type);
                }
            }
        };
        rounds.run(); // warm up: class loading, JIT
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        rounds.run();
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // A little slack for JIT or safepoint bookkeeping; one allocation per message would be tens of megabytes.
        assertThat(allocated).as("bytes allocated by %d batches", 200_000).isLessThan(4096);
        assertThat(quiet.mayGiveBack()).isTrue();
    }

    private void clientSends(String types) {
        for (char type : types.toCharArray()) {
            queue.sent((byte) type);
        }
    }

    /** @return what the last server message returned */
    private boolean serverSends(String types) {
        boolean readyAndIdle = false;
        for (char type : types.toCharArray()) {
            readyAndIdle = queue.onServerFrame(message((byte) type), (byte) type);
        }
        return readyAndIdle;
    }

    private String types() {
        StringBuilder s = new StringBuilder();
        delivered.forEach(m -> s.append((char) Frames.type(m)));
        return s.toString();
    }

    /** The status byte of the message delivered at index {@code n}, a ReadyForQuery. */
    private char readyStatus(int n) {
        ByteBuf ready = delivered.get(n);
        return (char) ready.getByte(Frames.bodyStart(ready));
    }

    private static ByteBuf message(byte type) {
        return Unpooled.buffer().writeByte(type).writeInt(4);
    }
}
