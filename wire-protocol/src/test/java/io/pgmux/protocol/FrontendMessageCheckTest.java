// Tests the layout check every client message passes before pgmux acts on it.
package io.pgmux.protocol;

import static io.pgmux.protocol.WireBytes.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgmux.testing.DetectLeaks;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

@DetectLeaks
class FrontendMessageCheckTest {

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("Query", body().cstring("SELECT 1").typed('Q')),
                Arguments.of("empty statement", body().cstring("").typed('Q')),
                Arguments.of("Parse", body().cstring("s").cstring("SELECT $1").int16(1).int32(23).typed('P')),
                Arguments.of("Bind with values", body().cstring("").cstring("s").int16(1).int16(1).int16(2)
                        .int32(2).text("42").int32(-1).int16(1).int16(0).typed('B')),
                Arguments.of("Describe", body().int8('S').cstring("s").typed('D')),
                Arguments.of("Close", body().int8('P').cstring("").typed('C')),
                Arguments.of("Execute", body().cstring("").int32(0).typed('E')),
                Arguments.of("FunctionCall", body().int32(1598).int16(0).int16(1).int32(1).text("x").int16(0)
                        .typed('F')),
                Arguments.of("Sync", body().typed('S')),
                Arguments.of("Flush", body().typed('H')),
                Arguments.of("CopyData", body().text("any\0bytes").typed('d')),
                Arguments.of("CopyDone", body().typed('c')),
                Arguments.of("CopyFail", body().cstring("stop").typed('f')),
                Arguments.of("Terminate", body().typed('X')));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("Query without NUL", body().text("select 1").typed('Q')),
                Arguments.of("Query with trailing bytes", body().cstring("select 1").text("xx").typed('Q')),
                Arguments.of("empty Query", body().typed('Q')),
                Arguments.of("empty Parse", body().typed('P')),
                Arguments.of("Parse short of its types", body().cstring("s").cstring("q").int16(2).int32(23)
                        .typed('P')),
                Arguments.of("Parse with negative count", body().cstring("s").cstring("q").int16(-1).typed('P')),
                Arguments.of("empty Bind", body().typed('B')),
                Arguments.of("Bind value past the end", body().cstring("").cstring("").int16(0).int16(1)
                        .int32(100).text("x").int16(0).typed('B')),
                Arguments.of("Bind value length below -1", body().cstring("").cstring("").int16(0).int16(1)
                        .int32(-2).int16(0).typed('B')),
                Arguments.of("Bind without result formats", body().cstring("").cstring("").int16(0).int16(0)
                        .typed('B')),
                Arguments.of("empty Describe", body().typed('D')),
                Arguments.of("Describe of another kind", body().int8('X').cstring("s").typed('D')),
                Arguments.of("Close without name", body().int8('S').typed('C')),
                Arguments.of("Execute without row limit", body().cstring("").typed('E')),
                Arguments.of("Sync with a body", body().int8(0).typed('S')),
                Arguments.of("Terminate with a body", body().int8(0).typed('X')),
                Arguments.of("password message after login", body().cstring("secret").typed('p')),
                Arguments.of("unknown type", body().typed('!')));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void wellFormedMessagesPass(String name, byte[] message) {
        ByteBuf frame = Unpooled.wrappedBuffer(message);
        assertThatCode(() -> FrontendMessageCheck.check(frame)).doesNotThrowAnyException();
        assertThat(frame.readerIndex()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedMessagesAreProtocolViolations(String name, byte[] message) {
        assertThatThrownBy(() -> FrontendMessageCheck.check(Unpooled.wrappedBuffer(message)))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
    }

    /** The head of a streamed message, as the decoder passes it on: the first bytes of a longer message. */
    private static ByteBuf head(byte[] message, int bytes, int declaredLength) {
        ByteBuf frame = Unpooled.wrappedBuffer(message, 0, bytes);
        frame.setInt(1, declaredLength);
        return frame;
    }

    @Test
    void headOfStreamedBindIsCheckedForItsNamesOnly() {
        byte[] bind = body().cstring("p").cstring("s").int16(0).int16(1).int32(1_000_000).text("xyz").typed('B');
        assertThatCode(() -> FrontendMessageCheck.check(head(bind, bind.length, 1_000_100)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> FrontendMessageCheck.check(head(bind, 8, 1_000_100)))
                .isInstanceOf(ProtocolException.class); // "p\0s" cut before the statement name's NUL
    }

    @Test
    void headsOfStreamedCopyDataAndFunctionCallPass() {
        byte[] copy = body().text("some rows").typed('d');
        byte[] call = body().int32(1598).int16(0).int16(1).int32(1_000_000).text("x").typed('F');
        assertThatCode(() -> {
            FrontendMessageCheck.check(head(copy, copy.length, 1_000_000));
            FrontendMessageCheck.check(head(call, call.length, 1_000_100));
        }).doesNotThrowAnyException();
    }

    @Test
    void partialMessageOfATypeNeverStreamedIsAViolation() {
        byte[] query = body().cstring("SELECT 1").typed('Q');
        assertThatThrownBy(() -> FrontendMessageCheck.check(head(query, query.length, 100_000)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void checkingAllocatesNothing() {
        ByteBuf bind = Unpooled.wrappedBuffer(body().cstring("").cstring("s").int16(1).int16(1).int16(1).int32(2)
                .text("42").int16(0).typed('B'));
        ByteBuf query = Unpooled.wrappedBuffer(body().cstring("SELECT abalance FROM pgbench_accounts").typed('Q'));
        for (int i = 0; i < 20_000; i++) { // warm-up: class loading and JIT
            FrontendMessageCheck.check(bind);
            FrontendMessageCheck.check(query);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1_000_000; i++) {
            FrontendMessageCheck.check(bind);
            FrontendMessageCheck.check(query);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        // A few hundred bytes of slack for JIT or safepoint bookkeeping; one allocation per check would be 32 MB.
        assertThat(allocated).isLessThan(4096);
    }
}
