// Tests the decoders of server messages on hand-built bytes, including malformed bodies.
package io.pgmux.protocol;

import static io.pgmux.protocol.FrameDecoding.decode;
import static io.pgmux.protocol.FrameDecoding.rejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.testing.DetectLeaks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

@DetectLeaks
class BackendMessageDecodeTest {

    @Test
    void decodesParameterStatus() {
        byte[] message = WireBytes.body().cstring("TimeZone").cstring("Europe/Zürich").typed('S');

        assertThat(decode(message, ParameterStatus::decode))
                .isEqualTo(new ParameterStatus("TimeZone", "Europe/Zürich"));
    }

    @Test
    void rejectsParameterStatusWithoutValueTerminator() {
        assertThat(rejects(WireBytes.body().cstring("a").text("b").typed('S'), ParameterStatus::decode))
                .hasMessageContaining("missing terminator");
    }

    @Test
    void decodesBackendKeyDataAndHidesTheSecret() {
        byte[] message = WireBytes.body().int32(77).int32(0xCAFEBABE).typed('K');
        BackendKeyData keyData = decode(message, BackendKeyData::decode);

        assertThat(keyData).isEqualTo(new BackendKeyData(77, 0xCAFEBABE));
        assertThat(keyData.toString()).doesNotContain(String.valueOf(0xCAFEBABE));
    }

    @Test
    void rejectsShortOrLongBackendKeyData() {
        rejects(WireBytes.body().int32(77).typed('K'), BackendKeyData::decode);
        rejects(WireBytes.body().int32(77).int32(1).int8(0).typed('K'), BackendKeyData::decode);
    }

    @Test
    void decodesEveryReadyForQueryStatus() {
        assertThat(decode(WireBytes.body().int8('I').typed('Z'), ReadyForQuery::status))
                .isEqualTo(TransactionStatus.IDLE);
        assertThat(decode(WireBytes.body().int8('T').typed('Z'), ReadyForQuery::status))
                .isEqualTo(TransactionStatus.IN_TRANSACTION);
        assertThat(decode(WireBytes.body().int8('E').typed('Z'), ReadyForQuery::status))
                .isEqualTo(TransactionStatus.FAILED);
    }

    @Test
    void rejectsMalformedReadyForQuery() {
        rejects(WireBytes.body().int8('X').typed('Z'), ReadyForQuery::status);
        rejects(WireBytes.body().typed('Z'), ReadyForQuery::status);
        rejects(WireBytes.body().int8('I').int8('I').typed('Z'), ReadyForQuery::status);
    }

    @Test
    void decodesErrorFieldsInWireOrder() {
        byte[] message = WireBytes.body().int8('S').cstring("FEHLER").int8('V').cstring("ERROR").int8('C')
                .cstring("42P01").int8('M').cstring("relation \"t\" does not exist").int8('P').cstring("15")
                .int8('D').cstring("detail").int8('H').cstring("hint").int8(0).typed('E');

        ErrorFields fields = decode(message, ErrorFields::decode);

        assertThat(fields.fields().keySet()).containsExactly('S', 'V', 'C', 'M', 'P', 'D', 'H');
        assertThat(fields.severity()).isEqualTo("ERROR");
        assertThat(fields.sqlState()).isEqualTo("42P01");
        assertThat(fields.message()).isEqualTo("relation \"t\" does not exist");
        assertThat(fields.detail()).isEqualTo("detail");
        assertThat(fields.hint()).isEqualTo("hint");
        assertThat(fields.get('P')).isEqualTo("15");
        assertThat(fields.fields()).isUnmodifiable();
    }

    @Test
    void noticeSeverityFallsBackToLocalizedField() {
        byte[] message = WireBytes.body().int8('S').cstring("NOTICE").int8('M').cstring("hi").int8(0).typed('N');

        ErrorFields fields = decode(message, ErrorFields::decode);

        assertThat(fields.severity()).isEqualTo("NOTICE");
        assertThat(fields.sqlState()).isNull();
        assertThat(fields.detail()).isNull();
    }

    @Test
    void convertsErrorFieldsToException() {
        PgException error = new ErrorFields(Map.of('V', "FATAL", 'C', "28P01", 'M', "bad", 'H', "h")).toPgException();

        assertThat(error.severity()).isEqualTo(Severity.FATAL);
        assertThat(error.sqlState()).isEqualTo("28P01");
        assertThat(error).hasMessage("bad");
        assertThat(error.hint()).isEqualTo("h");
        assertThat(new ErrorFields(Map.of('S', "WEIRD")).toPgException().sqlState()).isEqualTo(SqlState.INTERNAL_ERROR);
    }

    @Test
    void rejectsMalformedErrorResponses() {
        rejects(WireBytes.body().typed('E'), ErrorFields::decode);
        rejects(WireBytes.body().int8('M').cstring("no end").typed('E'), ErrorFields::decode);
        rejects(WireBytes.body().int8('M').text("unterminated").typed('E'), ErrorFields::decode);
        rejects(WireBytes.body().int8(0).int8('M').typed('E'), ErrorFields::decode);
        rejects(WireBytes.body().int8(0).typed('C'), ErrorFields::decode);
    }

    @Test
    void decodesAuthenticationRequests() {
        assertThat(decode(WireBytes.body().int32(0).typed('R'), Authentication::decode))
                .isEqualTo(new Authentication(Authentication.OK, new byte[0]));
        assertThat(decode(WireBytes.body().int32(3).typed('R'), Authentication::decode).code())
                .isEqualTo(Authentication.CLEARTEXT_PASSWORD);
        assertThat(decode(WireBytes.body().int32(5).int32(0x01020304).typed('R'), Authentication::decode))
                .isEqualTo(new Authentication(Authentication.MD5_PASSWORD, new byte[] {1, 2, 3, 4}));
        assertThat(decode(WireBytes.body().int32(11).text("r=abc").typed('R'), Authentication::decode).data())
                .isEqualTo("r=abc".getBytes());
        assertThat(decode(WireBytes.body().int32(12).text("v=xyz").typed('R'), Authentication::decode).code())
                .isEqualTo(Authentication.SASL_FINAL);
        assertThat(decode(WireBytes.body().int32(99).int8(1).typed('R'), Authentication::decode).data())
                .as("unknown codes keep their data").containsExactly(1);
    }

    @Test
    void decodesSaslMechanisms() {
        byte[] message = WireBytes.body().int32(10).cstring("SCRAM-SHA-256-PLUS").cstring("SCRAM-SHA-256").int8(0)
                .typed('R');

        Authentication sasl = decode(message, Authentication::decode);

        assertThat(sasl.saslMechanisms()).containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
        assertThatThrownBy(() -> new Authentication(Authentication.OK, new byte[0]).saslMechanisms())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsMalformedAuthentication() {
        rejects(WireBytes.body().int16(0).typed('R'), Authentication::decode);
        rejects(WireBytes.body().int32(5).int16(1).typed('R'), Authentication::decode);
        rejects(WireBytes.body().int32(0).int8(0).typed('R'), Authentication::decode);
        rejects(WireBytes.body().int32(10).cstring("SCRAM-SHA-256").typed('R'), Authentication::decode);
        rejects(WireBytes.body().int32(10).text("SCRAM").typed('R'), Authentication::decode);
        rejects(WireBytes.body().int32(10).int8(0).int8(0).typed('R'), Authentication::decode);
    }

    @Test
    void decodesCommandComplete() {
        assertThat(decode(WireBytes.body().cstring("INSERT 0 3").typed('C'), CommandComplete::decode))
                .isEqualTo(new CommandComplete("INSERT 0 3"));
        rejects(WireBytes.body().text("SELECT").typed('C'), CommandComplete::decode);
    }

    @Test
    void decodesNegotiateProtocolVersion() {
        byte[] message = WireBytes.body().int32(0).int32(2).cstring("_pq_.a").cstring("_pq_.b").typed('v');

        assertThat(decode(message, NegotiateProtocolVersion::decode))
                .isEqualTo(new NegotiateProtocolVersion(0, List.of("_pq_.a", "_pq_.b")));
        rejects(WireBytes.body().int32(0).int32(3).cstring("_pq_.a").typed('v'), NegotiateProtocolVersion::decode);
        rejects(WireBytes.body().int32(0).int32(-1).typed('v'), NegotiateProtocolVersion::decode);
    }

    @Test
    void rejectsFramesWhoseLengthFieldDisagreesWithTheirSize() {
        byte[] message = WireBytes.body().int8('I').typed('Z');
        message[4]++;

        assertThat(rejects(message, ReadyForQuery::status)).hasMessageContaining("invalid length");
        assertThat(rejects(new byte[] {'Z', 0, 0, 0}, ReadyForQuery::status)).hasMessageContaining("truncated");
    }

    @Test
    void rejectsFramesOfAnotherType() {
        assertThat(rejects(WireBytes.body().int8('I').typed('S'), ReadyForQuery::status))
                .hasMessageContaining("expected ReadyForQuery");
    }
}
