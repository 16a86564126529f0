// Tests the encoders of messages sent to clients: exact bytes and round trips through the decoders.
package io.pgmux.protocol;

import static io.pgmux.protocol.ByteBufBytes.copyAndRelease;
import static io.pgmux.protocol.FrameDecoding.decodeAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.testing.DetectLeaks;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

@DetectLeaks
class BackendMessagesTest {
    private static final ByteBufAllocator ALLOC = DecoderHarness.ALLOC;

    @Test
    void errorResponseRoundTripsAllFields() {
        PgException error = new PgException(Severity.FATAL, SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients",
                "pool \"main\" is full", "try later");

        ErrorFields fields = decodeAndRelease(BackendMessages.errorResponse(ALLOC, error), ErrorFields::decode);

        assertThat(fields.fields()).containsExactly(Map.entry('S', "FATAL"), Map.entry('V', "FATAL"),
                Map.entry('C', "53300"), Map.entry('M', "sorry, too many clients"),
                Map.entry('D', "pool \"main\" is full"), Map.entry('H', "try later"));
    }

    @Test
    void errorResponseHasExactBytes() {
        byte[] expected = WireBytes.body().int8('S').cstring("ERROR").int8('V').cstring("ERROR").int8('C')
                .cstring("08P01").int8('M').cstring("bad").int8(0).typed('E');

        assertThat(copyAndRelease(BackendMessages.errorResponse(ALLOC, Severity.ERROR, "08P01", "bad")))
                .isEqualTo(expected);
    }

    @Test
    void errorResponseReplacesNulInsteadOfFailing() {
        ErrorFields fields = decodeAndRelease(
                BackendMessages.errorResponse(ALLOC, new ProtocolException("a\0b")), ErrorFields::decode);

        assertThat(fields.message()).isEqualTo("a b");
        assertThat(fields.detail()).isNull();
    }

    @Test
    void noticeResponseRoundTrips() {
        ByteBuf notice = BackendMessages.noticeResponse(ALLOC, Severity.WARNING, SqlState.WARNING, "careful");
        assertThat(Frames.type(notice)).isEqualTo(BackendType.NOTICE_RESPONSE);

        ErrorFields fields = decodeAndRelease(notice, ErrorFields::decode);

        assertThat(fields.severity()).isEqualTo("WARNING");
        assertThat(fields.sqlState()).isEqualTo("01000");
        assertThat(fields.message()).isEqualTo("careful");
    }

    @Test
    void authenticationMessagesRoundTrip() {
        assertThat(decodeAndRelease(BackendMessages.authenticationOk(), Authentication::decode).code())
                .isEqualTo(Authentication.OK);
        assertThat(decodeAndRelease(BackendMessages.authenticationCleartextPassword(), Authentication::decode).code())
                .isEqualTo(Authentication.CLEARTEXT_PASSWORD);
        assertThat(decodeAndRelease(BackendMessages.authenticationMd5Password(ALLOC, new byte[] {9, 8, 7, 6}),
                Authentication::decode))
                .isEqualTo(new Authentication(Authentication.MD5_PASSWORD, new byte[] {9, 8, 7, 6}));
        assertThat(decodeAndRelease(BackendMessages.authenticationSasl(ALLOC, List.of("SCRAM-SHA-256")),
                Authentication::decode).saslMechanisms()).containsExactly("SCRAM-SHA-256");
        assertThat(decodeAndRelease(BackendMessages.authenticationSaslContinue(ALLOC, new byte[] {1, 2}),
                Authentication::decode)).isEqualTo(new Authentication(Authentication.SASL_CONTINUE, new byte[] {1, 2}));
        assertThat(decodeAndRelease(BackendMessages.authenticationSaslFinal(ALLOC, new byte[] {3}),
                Authentication::decode)).isEqualTo(new Authentication(Authentication.SASL_FINAL, new byte[] {3}));
    }

    @Test
    void authenticationSaslHasExactBytes() {
        byte[] expected = WireBytes.body().int32(10).cstring("SCRAM-SHA-256-PLUS").cstring("SCRAM-SHA-256").int8(0)
                .typed('R');

        assertThat(copyAndRelease(BackendMessages.authenticationSasl(ALLOC,
                List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")))).isEqualTo(expected);
    }

    @Test
    void rejectsBadArgumentsWithoutLeaking() {
        assertThatThrownBy(() -> BackendMessages.authenticationMd5Password(ALLOC, new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackendMessages.authenticationSasl(ALLOC, List.of("A", "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackendMessages.parameterStatus(ALLOC, "a\0b", "c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackendMessages.rowDescription(ALLOC, List.of("a"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parameterStatusAndKeyDataRoundTrip() {
        assertThat(decodeAndRelease(BackendMessages.parameterStatus(ALLOC, "server_version", "17.2"),
                ParameterStatus::decode)).isEqualTo(new ParameterStatus("server_version", "17.2"));
        assertThat(decodeAndRelease(BackendMessages.backendKeyData(ALLOC, 12345, -99), BackendKeyData::decode))
                .isEqualTo(new BackendKeyData(12345, -99));
    }

    @Test
    void loginCompletionIsTheFourMessagesInOneBuffer() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("server_version", "17.2");
        parameters.put("TimeZone", "UTC");
        byte[] separate = concat(copyAndRelease(BackendMessages.authenticationOk()),
                copyAndRelease(BackendMessages.parameterStatus(ALLOC, "server_version", "17.2")),
                copyAndRelease(BackendMessages.parameterStatus(ALLOC, "TimeZone", "UTC")),
                copyAndRelease(BackendMessages.backendKeyData(ALLOC, 12345, -99)),
                copyAndRelease(BackendMessages.readyForQuery(TransactionStatus.IDLE)));

        assertThat(copyAndRelease(BackendMessages.loginCompletion(ALLOC, parameters, 12345, -99)))
                .isEqualTo(separate);
        assertThatThrownBy(() -> BackendMessages.loginCompletion(ALLOC, Map.of("a\0b", "x"), 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void readyForQueryConstantsRoundTripAndAreShared() {
        for (TransactionStatus status : TransactionStatus.values()) {
            ByteBuf first = BackendMessages.readyForQuery(status);
            assertThat(decodeAndRelease(first, ReadyForQuery::status)).isEqualTo(status);
            // Releasing a copy must not spoil the constant for the next caller.
            assertThat(decodeAndRelease(BackendMessages.readyForQuery(status), ReadyForQuery::status))
                    .isEqualTo(status);
        }
    }

    @Test
    void sharedConstantsCannotBeModified() {
        ByteBuf ok = BackendMessages.authenticationOk();
        assertThatThrownBy(() -> ok.setByte(0, 'X')).isInstanceOf(Exception.class);
        ok.release();
        assertThat(copyAndRelease(BackendMessages.authenticationOk())).containsExactly('R', 0, 0, 0, 8, 0, 0, 0, 0);
    }

    @Test
    void negotiateProtocolVersionRoundTrips() {
        ByteBuf message = BackendMessages.negotiateProtocolVersion(ALLOC, 0, List.of("_pq_.x"));

        assertThat(decodeAndRelease(message, NegotiateProtocolVersion::decode))
                .isEqualTo(new NegotiateProtocolVersion(0, List.of("_pq_.x")));
    }

    @Test
    void rowDescriptionHasExactBytes() {
        byte[] expected = WireBytes.body().int16(2)
                .cstring("name").int32(0).int16(0).int32(25).int16(-1).int32(-1).int16(0)
                .cstring("count").int32(0).int16(0).int32(20).int16(-1).int32(-1).int16(0)
                .typed('T');

        assertThat(copyAndRelease(BackendMessages.rowDescription(ALLOC, List.of("name", "count"), List.of(25, 20))))
                .isEqualTo(expected);
    }

    @Test
    void dataRowHasExactBytesWithNull() {
        byte[] expected = WireBytes.body().int16(3).int32(2).text("é").int32(-1).int32(0).typed('D');

        assertThat(copyAndRelease(BackendMessages.dataRow(ALLOC, Arrays.asList("é", null, ""))))
                .isEqualTo(expected);
    }

    @Test
    void commandCompleteRoundTrips() {
        assertThat(decodeAndRelease(BackendMessages.commandComplete(ALLOC, "SHOW"), CommandComplete::decode))
                .isEqualTo(new CommandComplete("SHOW"));
    }

    @Test
    void fixedMessagesHaveExactBytes() {
        assertThat(copyAndRelease(BackendMessages.emptyQueryResponse())).containsExactly('I', 0, 0, 0, 4);
        assertThat(copyAndRelease(BackendMessages.sslRefused())).containsExactly('N');
        assertThat(copyAndRelease(BackendMessages.readyForQuery(TransactionStatus.FAILED)))
                .containsExactly('Z', 0, 0, 0, 5, 'E');
    }
}
