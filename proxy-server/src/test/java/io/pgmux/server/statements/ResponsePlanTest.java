package io.pgmux.server.statements;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponsePlanTest {
    private final List<ByteBuf> delivered = new ArrayList<>();
    private final ResponsePlan plan = new ResponsePlan(delivered::add);
    private final List<String> undone = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        plan.clear();
        delivered.forEach(ByteBuf::release);
    }

    @Test
    void swallowsTheAnswerToAnAddedParseAndKeepsTheOrder() {
        plan.expect(ResponsePlan.PARSE, ResponsePlan.SWALLOW, null, null);
        plan.expect(ResponsePlan.BIND);
        plan.expect(ResponsePlan.EXECUTE);
        plan.expect(ResponsePlan.SYNC);
        serverSends(BackendType.PARSE_COMPLETE, BackendType.BIND_COMPLETE, BackendType.DATA_ROW,
                BackendType.COMMAND_COMPLETE, BackendType.READY_FOR_QUERY);
        assertThat(types()).isEqualTo("2DCZ");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void answersOwnedByPgmuxWaitForEarlierServerAnswers() {
        plan.expect(ResponsePlan.BIND);
        plan.answer(message(BackendType.PARSE_COMPLETE), null);
        plan.expect(ResponsePlan.SYNC);
        assertThat(types()).isEmpty();
        serverSends(BackendType.BIND_COMPLETE);
        assertThat(types()).isEqualTo("21");
        serverSends(BackendType.READY_FOR_QUERY);
        assertThat(types()).isEqualTo("21Z");
    }

    @Test
    void anAnswerWithNothingOwedBeforeItGoesAtOnce() {
        plan.answer(message(BackendType.CLOSE_COMPLETE), null);
        assertThat(types()).isEqualTo("3");
    }

    @Test
    void anErrorSkipsEverythingUpToTheSyncAndUndoesIt() {
        plan.expect(ResponsePlan.PARSE, ResponsePlan.RELAY, null, () -> undone.add("failed parse"));
        plan.expect(ResponsePlan.PARSE, ResponsePlan.SWALLOW, null, () -> undone.add("skipped parse"));
        plan.answer(message(BackendType.CLOSE_COMPLETE), () -> undone.add("skipped close"));
        plan.expect(ResponsePlan.BIND);
        plan.expect(ResponsePlan.SYNC);
        serverSends(BackendType.ERROR_RESPONSE, BackendType.READY_FOR_QUERY);
        assertThat(types()).isEqualTo("EZ");
        assertThat(undone).containsExactly("failed parse", "skipped parse", "skipped close");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void errorsInsideASimpleQueryOrACommitStartNoSkipping() {
        plan.expect(ResponsePlan.QUERY);
        plan.expect(ResponsePlan.SYNC);
        serverSends(BackendType.ERROR_RESPONSE, BackendType.READY_FOR_QUERY, BackendType.ERROR_RESPONSE,
                BackendType.READY_FOR_QUERY);
        assertThat(types()).isEqualTo("EZEZ");
    }

    @Test
    void aSubstitutedErrorReplacesTheServersOwn() {
        ByteBuf mine = message(BackendType.ERROR_RESPONSE).writeByte('m');
        plan.expect(ResponsePlan.BIND, ResponsePlan.SUBSTITUTE_ERROR, mine, null);
        plan.expect(ResponsePlan.SYNC);
        ByteBuf theirs = message(BackendType.ERROR_RESPONSE);
        plan.onServerFrame(theirs, BackendType.ERROR_RESPONSE);
        assertThat(theirs.refCnt()).isZero();
        assertThat(delivered).containsExactly(mine);
    }

    @Test
    void asynchronousMessagesPassThroughAnywhere() {
        plan.expect(ResponsePlan.DESCRIBE);
        serverSends(BackendType.NOTICE_RESPONSE, BackendType.PARAMETER_DESCRIPTION, BackendType.ROW_DESCRIPTION,
                BackendType.NOTIFICATION_RESPONSE);
        assertThat(types()).isEqualTo("NtTA");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void growsPastItsInitialSizeInOrder() {
        for (int i = 0; i < 100; i++) {
            plan.expect(ResponsePlan.BIND);
            plan.answer(message(BackendType.PARSE_COMPLETE), null);
        }
        for (int i = 0; i < 100; i++) {
            serverSends(BackendType.BIND_COMPLETE);
        }
        assertThat(types()).isEqualTo("21".repeat(100));
    }

    @Test
    void clearReleasesHeldAnswersWithoutDeliveringThem() {
        plan.expect(ResponsePlan.BIND);
        ByteBuf held = message(BackendType.PARSE_COMPLETE);
        plan.answer(held, null);
        plan.clear();
        assertThat(held.refCnt()).isZero();
        assertThat(delivered).isEmpty();
    }

    private void serverSends(byte... types) {
        for (byte type : types) {
            plan.onServerFrame(message(type), type);
        }
    }

    private String types() {
        StringBuilder s = new StringBuilder();
        delivered.forEach(m -> s.append((char) Frames.type(m)));
        return s.toString();
    }

    private static ByteBuf message(byte type) {
        return Unpooled.buffer().writeByte(type).writeInt(4);
    }
}
