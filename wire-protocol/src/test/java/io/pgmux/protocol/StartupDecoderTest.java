// Tests the startup-phase decoder on an EmbeddedChannel: valid packets, chunking, every malformed case, and handover.
package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class StartupDecoderTest {
    private final DecoderHarness harness = new DecoderHarness(new StartupDecoder());

    @AfterEach
    void finish() {
        harness.finishAndVerify();
    }

    static byte[] startup(int version, String... pairs) {
        WireBytes body = WireBytes.body().int32(version);
        for (String s : pairs) {
            body.cstring(s);
        }
        return body.int8(0).untyped();
    }

    static final byte[] SSL_REQUEST = WireBytes.body().int32(StartupCodes.SSL_REQUEST_CODE).untyped();
    static final byte[] GSSENC_REQUEST = WireBytes.body().int32(StartupCodes.GSSENC_REQUEST_CODE).untyped();
    static final byte[] CANCEL_REQUEST =
            WireBytes.body().int32(StartupCodes.CANCEL_REQUEST_CODE).int32(4242).int32(-17).untyped();

    @Test
    void decodesStartupMessageWithParametersInOrder() {
        List<Object> out = harness.feed(startup(3 << 16, "user", "alice", "database", "shop", "application_name", "x"));

        assertThat(out).hasSize(1);
        StartupMessage message = (StartupMessage) out.get(0);
        assertThat(message.majorVersion()).isEqualTo(3);
        assertThat(message.minorVersion()).isZero();
        assertThat(message.parameters()).containsExactly(
                Map.entry("user", "alice"), Map.entry("database", "shop"), Map.entry("application_name", "x"));
        assertThat(message.protocolOptions()).isEmpty();
        assertThat(message.user()).isEqualTo("alice");
        assertThat(message.database()).isEqualTo("shop");
    }

    @Test
    void databaseDefaultsToUserAndUserMayBeMissing() {
        List<Object> out = harness.feed(WireBytes.concat(startup(3 << 16, "user", "bob"),
                startup(3 << 16, "user", "carol", "database", ""), startup(3 << 16)));

        assertThat(out).hasSize(3);
        assertThat(((StartupMessage) out.get(0)).database()).isEqualTo("bob");
        assertThat(((StartupMessage) out.get(1)).database()).isEqualTo("carol");
        assertThat(((StartupMessage) out.get(2)).user()).isNull();
        assertThat(((StartupMessage) out.get(2)).database()).isNull();
        assertThat(((StartupMessage) out.get(2)).parameters()).isEmpty();
    }

    @Test
    void separatesProtocolOptionsAndKeepsNewerMinorVersion() {
        List<Object> out = harness.feed(startup(3 << 16 | 2, "user", "u", "_pq_.compression", "on", "x", "1"));

        StartupMessage message = (StartupMessage) out.get(0);
        assertThat(message.minorVersion()).isEqualTo(2);
        assertThat(message.parameters()).containsOnlyKeys("user", "x");
        assertThat(message.protocolOptions()).containsExactly("_pq_.compression");
    }

    @Test
    void decodesNonAsciiValuesAsUtf8() {
        List<Object> out = harness.feed(startup(3 << 16, "user", "zoë", "application_name", "日本"));

        assertThat(((StartupMessage) out.get(0)).parameters()).containsEntry("user", "zoë")
                .containsEntry("application_name", "日本");
    }

    @Test
    void decodesNegotiationAndCancelPackets() {
        List<Object> out = harness.feed(WireBytes.concat(SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST));

        assertThat(out).containsExactly(SslRequest.INSTANCE, GssEncRequest.INSTANCE, new CancelRequest(4242, -17));
    }

    @Test
    void decodesTheSameSequenceOneByteAtATime() {
        byte[] stream = WireBytes.concat(SSL_REQUEST, startup(3 << 16, "user", "alice"), CANCEL_REQUEST);

        List<Object> out = harness.feedOneByteAtATime(stream);

        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(SslRequest.INSTANCE);
        assertThat(((StartupMessage) out.get(1)).user()).isEqualTo("alice");
        assertThat(out.get(2)).isEqualTo(new CancelRequest(4242, -17));
    }

    @Test
    void decodesPacketsSplitInsideLengthCodeAndBody() {
        byte[] stream = WireBytes.concat(startup(3 << 16, "user", "alice"), SSL_REQUEST);

        List<Object> out = harness.feedSplitAt(stream, 2, 6, 11, stream.length - 3);

        assertThat(out).hasSize(2);
        assertThat(((StartupMessage) out.get(0)).user()).isEqualTo("alice");
        assertThat(out.get(1)).isEqualTo(SslRequest.INSTANCE);
    }

    @Test
    void startupMessageCollectionsAreUnmodifiable() {
        StartupMessage message = (StartupMessage) harness.feed(startup(3 << 16, "user", "u")).get(0);

        assertThat(message.parameters()).isUnmodifiable();
        assertThat(message.protocolOptions()).isUnmodifiable();
    }
}
