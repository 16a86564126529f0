// Tests the decoders of client messages on hand-built bytes, including malformed bodies.
package io.pgmux.protocol;

import static io.pgmux.protocol.FrameDecoding.decode;
import static io.pgmux.protocol.FrameDecoding.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

@DetectLeaks
class FrontendMessageDecodeTest {

    @Test
    void decodesQuery() {
        assertThat(decode(WireBytes.body().cstring("SELECT 'ü'; SELECT 2").typed('Q'), Query::sql))
                .isEqualTo("SELECT 'ü'; SELECT 2");
        assertThat(decode(WireBytes.body().cstring("").typed('Q'), Query::sql)).isEmpty();
    }

    @Test
    void rejectsMalformedQuery() {
        assertThat(rejects(WireBytes.body().text("SELECT 1").typed('Q'), Query::sql))
                .hasMessageContaining("missing terminator");
        assertThat(rejects(WireBytes.body().cstring("SELECT 1").int8('x').typed('Q'), Query::sql))
                .hasMessageContaining("trailing");
        rejects(WireBytes.body().typed('Q'), Query::sql);
    }

    @Test
    void decodesParse() {
        byte[] message = WireBytes.body().cstring("s1").cstring("SELECT $1, $2").int16(2).int32(23).int32(0)
                .typed('P');

        Parse parse = decode(message, Parse::decode);

        assertThat(parse).isEqualTo(new Parse("s1", "SELECT $1, $2", new int[] {23, 0}));
        assertThat(parse.parameterTypes()).containsExactly(23, 0);
    }

    @Test
    void readsParameterCountAsUnsigned() {
        WireBytes body = WireBytes.body().cstring("").cstring("q").int16(0x8000);
        for (int i = 0; i < 0x8000; i++) {
            body.int32(i);
        }

        assertThat(decode(body.typed('P'), Parse::decode).parameterTypes()).hasSize(0x8000);
    }

    @Test
    void rejectsMalformedParse() {
        rejects(WireBytes.body().cstring("s").cstring("q").int16(2).int32(23).typed('P'), Parse::decode);
        rejects(WireBytes.body().cstring("s").cstring("q").int16(0).int8(0).typed('P'), Parse::decode);
        rejects(WireBytes.body().cstring("s").cstring("q").typed('P'), Parse::decode);
        rejects(WireBytes.body().cstring("s").text("q").typed('P'), Parse::decode);
    }

    @Test
    void decodesBindHeaderAndIgnoresTheRest() {
        byte[] message = WireBytes.body().cstring("portal").cstring("stmt").int16(0).int16(1).int32(-1).int16(0)
                .typed('B');

        assertThat(decode(message, BindHeader::decode)).isEqualTo(new BindHeader("portal", "stmt"));
        rejects(WireBytes.body().cstring("portal").typed('B'), BindHeader::decode);
    }

    @Test
    void decodesDescribeAndClose() {
        assertThat(decode(WireBytes.body().int8('S').cstring("s1").typed('D'), Describe::decode))
                .isEqualTo(new Describe(Describe.STATEMENT, "s1"));
        assertThat(decode(WireBytes.body().int8('P').cstring("").typed('D'), Describe::decode))
                .isEqualTo(new Describe(Describe.PORTAL, ""));
        assertThat(decode(WireBytes.body().int8('S').cstring("s1").typed('C'), Close::decode))
                .isEqualTo(new Close(Close.STATEMENT, "s1"));
        assertThat(decode(WireBytes.body().int8('P').cstring("p").typed('C'), Close::decode))
                .isEqualTo(new Close(Close.PORTAL, "p"));
    }

    @Test
    void rejectsMalformedDescribeAndClose() {
        assertThat(rejects(WireBytes.body().int8('X').cstring("s1").typed('D'), Describe::decode))
                .hasMessageContaining("subtype");
        assertThat(rejects(WireBytes.body().int8('X').cstring("s1").typed('C'), Close::decode))
                .hasMessageContaining("subtype");
        rejects(WireBytes.body().typed('D'), Describe::decode);
        rejects(WireBytes.body().int8('S').text("s1").typed('C'), Close::decode);
    }

    @Test
    void decodesExecute() {
        assertThat(decode(WireBytes.body().cstring("").int32(50).typed('E'), Execute::decode))
                .isEqualTo(new Execute("", 50));
        rejects(WireBytes.body().cstring("").int16(50).typed('E'), Execute::decode);
    }

    @Test
    void decodesPasswordMessage() {
        assertThat(decode(WireBytes.body().cstring("s3cr3t").typed('p'), PasswordMessage::password))
                .isEqualTo("s3cr3t");
        rejects(WireBytes.body().text("s3cr3t").typed('p'), PasswordMessage::password);
        rejects(WireBytes.body().cstring("a").cstring("b").typed('p'), PasswordMessage::password);
    }

    @Test
    void decodesSaslInitialResponse() {
        byte[] clientFirst = "n,,n=,r=abc".getBytes(StandardCharsets.US_ASCII);
        byte[] message = WireBytes.body().cstring("SCRAM-SHA-256").int32(clientFirst.length).bytes(clientFirst)
                .typed('p');

        assertThat(decode(message, SaslInitialResponse::decode))
                .isEqualTo(new SaslInitialResponse("SCRAM-SHA-256", clientFirst));
        SaslInitialResponse empty = decode(WireBytes.body().cstring("M").int32(-1).typed('p'),
                SaslInitialResponse::decode);
        assertThat(empty.data()).isNull();
        assertThat(empty.mechanism()).isEqualTo("M");
    }

    @Test
    void rejectsMalformedSaslInitialResponse() {
        rejects(WireBytes.body().cstring("M").int32(5).text("abcd").typed('p'), SaslInitialResponse::decode);
        rejects(WireBytes.body().cstring("M").int32(3).text("abcd").typed('p'), SaslInitialResponse::decode);
        rejects(WireBytes.body().cstring("M").int32(-2).typed('p'), SaslInitialResponse::decode);
        rejects(WireBytes.body().cstring("M").int32(-1).int8(0).typed('p'), SaslInitialResponse::decode);
        rejects(WireBytes.body().text("M").typed('p'), SaslInitialResponse::decode);
    }

    @Test
    void decodesSaslResponse() {
        assertThat(decode(WireBytes.body().text("c=biws,r=x,p=y").typed('p'), SaslResponse::data))
                .isEqualTo("c=biws,r=x,p=y".getBytes(StandardCharsets.US_ASCII));
        assertThat(decode(WireBytes.body().typed('p'), SaslResponse::data)).isEmpty();
        rejects(WireBytes.body().text("x").typed('Q'), SaslResponse::data);
    }
}
