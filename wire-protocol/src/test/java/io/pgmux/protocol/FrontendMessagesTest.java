// Tests the encoders of messages sent to PostgreSQL: round trips through the decoders and exact bytes.
package io.pgmux.protocol;

import static io.pgmux.protocol.ByteBufBytes.copyAndRelease;
import static io.pgmux.protocol.FrameDecoding.decodeAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.pgmux.testing.DetectLeaks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

@DetectLeaks
class FrontendMessagesTest {
    private static final ByteBufAllocator ALLOC = DecoderHarness.ALLOC;

    @Test
    void startupMessageRoundTripsThroughTheStartupDecoder() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "app");
        parameters.put("database", "shop");
        parameters.put("client_encoding", "UTF8");
        DecoderHarness harness = new DecoderHarness(new StartupDecoder());

        List<Object> out = harness.feed(copyAndRelease(FrontendMessages.startupMessage(ALLOC, parameters)));

        harness.finishAndVerify();
        assertThat(out).containsExactly(new StartupMessage(3, 0, parameters, List.of()));
        assertThat(((StartupMessage) out.get(0)).parameters()).containsExactlyEntriesOf(parameters);
    }

    @Test
    void startupMessageHasExactBytes() {
        byte[] expected = WireBytes.body().int32(196608).cstring("user").cstring("u").int8(0).untyped();

        assertThat(copyAndRelease(FrontendMessages.startupMessage(ALLOC, Map.of("user", "u")))).isEqualTo(expected);
    }

    @Test
    void cancelRequestRoundTripsThroughTheStartupDecoder() {
        DecoderHarness harness = new DecoderHarness(new StartupDecoder());

        List<Object> out = harness.feed(copyAndRelease(FrontendMessages.cancelRequest(ALLOC, 31337, 0x7FFFFFFF)));

        harness.finishAndVerify();
        assertThat(out).containsExactly(new CancelRequest(31337, 0x7FFFFFFF));
    }

    @Test
    void authenticationResponsesRoundTrip() {
        assertThat(decodeAndRelease(FrontendMessages.passwordMessage(ALLOC, "md5abc"), PasswordMessage::password))
                .isEqualTo("md5abc");
        assertThat(decodeAndRelease(FrontendMessages.saslInitialResponse(ALLOC, "SCRAM-SHA-256", new byte[] {1, 2}),
                SaslInitialResponse::decode)).isEqualTo(new SaslInitialResponse("SCRAM-SHA-256", new byte[] {1, 2}));
        assertThat(decodeAndRelease(FrontendMessages.saslInitialResponse(ALLOC, "X", null),
                SaslInitialResponse::decode).data()).isNull();
        assertThat(decodeAndRelease(FrontendMessages.saslResponse(ALLOC, new byte[] {5, 0, 6}), SaslResponse::data))
                .containsExactly(5, 0, 6);
    }

    @Test
    void queryAndParseRoundTrip() {
        assertThat(decodeAndRelease(FrontendMessages.query(ALLOC, "DISCARD ALL"), Query::sql)).isEqualTo("DISCARD ALL");
        assertThat(decodeAndRelease(FrontendMessages.parse(ALLOC, "s", "SELECT $1", new int[] {23}), Parse::decode))
                .isEqualTo(new Parse("s", "SELECT $1", new int[] {23}));
    }

    @Test
    void constantsHaveExactBytesAndPassTheFrontendFramer() {
        byte[] stream = WireBytes.concat(copyAndRelease(FrontendMessages.sync()),
                copyAndRelease(FrontendMessages.flush()), copyAndRelease(FrontendMessages.terminate()));
        DecoderHarness harness = new DecoderHarness(MessageFrameDecoder.frontend(100));

        List<Object> out = harness.feed(stream);

        harness.finishAndVerify();
        assertThat(out).containsExactly(new byte[] {'S', 0, 0, 0, 4}, new byte[] {'H', 0, 0, 0, 4},
                new byte[] {'X', 0, 0, 0, 4});
    }

    @Test
    void rejectsStringsThatWouldBreakFraming() {
        assertThatThrownBy(() -> FrontendMessages.query(ALLOC, "SELECT 1\0; DROP")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> FrontendMessages.startupMessage(ALLOC, Map.of("", "x"))).isInstanceOf(
                IllegalArgumentException.class);
    }
}
