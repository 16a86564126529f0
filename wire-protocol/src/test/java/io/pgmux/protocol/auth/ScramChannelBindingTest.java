// SCRAM-SHA-256-PLUS: tls-server-end-point binding checked by the server, and the downgrade rules.
package io.pgmux.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScramChannelBindingTest {
    private static final ScramSecret SECRET = ScramSecret.fromPassword("pw", new byte[] {1, 2, 3, 4}, 4096);
    private static final byte[] BINDING = ScramCrypto.sha256("the server certificate".getBytes(StandardCharsets.UTF_8));
    private static final String PLUS_HEADER = "p=tls-server-end-point,,";

    /** A client-final message for the given header and binding data, with the proof of password "pw". */
    private static byte[] clientFinal(String gs2Header, byte[] bindingData, String clientFirstBare, byte[] serverFirst) {
        String server = new String(serverFirst, StandardCharsets.UTF_8);
        String nonce = server.substring(2, server.indexOf(','));
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] cbind = bindingData == null ? header : concat(header, bindingData);
        String withoutProof = "c=" + ScramCrypto.base64(cbind) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + server + "," + withoutProof;
        byte[] salted = ScramCrypto.hi(ScramCrypto.passwordBytes("pw"), SECRET.salt(), SECRET.iterations());
        byte[] clientKey = ScramCrypto.hmac(salted, "Client Key");
        byte[] signature = ScramCrypto.hmac(ScramCrypto.sha256(clientKey), authMessage);
        return (withoutProof + ",p=" + ScramCrypto.base64(ScramCrypto.xor(clientKey, signature)))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void plusWithTheRightBindingLogsIn() {
        ScramServer server = new ScramServer(SECRET, true, BINDING);
        byte[] first = server.serverFirstMessage((PLUS_HEADER + "n=,r=abc").getBytes(StandardCharsets.UTF_8));
        byte[] last = server.serverFinalMessage(clientFinal(PLUS_HEADER, BINDING, "n=,r=abc", first));
        assertThat(new String(last, StandardCharsets.UTF_8)).startsWith("v=");
    }

    @Test
    void plusWithAnotherCertificatesBindingFails() {
        ScramServer server = new ScramServer(SECRET, true, BINDING);
        byte[] first = server.serverFirstMessage((PLUS_HEADER + "n=,r=abc").getBytes(StandardCharsets.UTF_8));
        byte[] other = ScramCrypto.sha256("a man in the middle".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> server.serverFinalMessage(clientFinal(PLUS_HEADER, other, "n=,r=abc", first)))
                .isInstanceOf(ScramException.class).hasMessageContaining("channel binding");
        assertThat(server.proofRejected()).as("a binding failure is not a wrong password").isFalse();
    }

    @Test
    void plusMechanismWithoutBindingHeaderFails() {
        assertThatThrownBy(() -> new ScramServer(SECRET, true, BINDING)
                .serverFirstMessage("n,,n=,r=abc".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> new ScramServer(SECRET, true, BINDING)
                .serverFirstMessage("p=tls-unique,,n=,r=abc".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ScramException.class).hasMessageContaining("type");
    }

    @Test
    void clientClaimingNoServerSupportOnTlsIsADowngrade() {
        assertThatThrownBy(() -> new ScramServer(SECRET, false, BINDING)
                .serverFirstMessage("y,,n=,r=abc".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ScramException.class).hasMessageContaining("negotiation");
    }

    @Test
    void plainScramOnTlsStillWorks() {
        ScramServer server = new ScramServer(SECRET, false, BINDING);
        byte[] first = server.serverFirstMessage("n,,n=,r=abc".getBytes(StandardCharsets.UTF_8));
        assertThat(server.serverFinalMessage(clientFinal("n,,", null, "n=,r=abc", first))).isNotEmpty();
    }

    @Test
    void bindingWithoutPlusIsRefused() {
        assertThatThrownBy(() -> new ScramServer(SECRET, false, null)
                .serverFirstMessage((PLUS_HEADER + "n=,r=abc").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> new ScramServer(SECRET, true, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashFollowsTheSignatureAlgorithm() {
        assertThat(ChannelBinding.hashOf("SHA256withRSA")).isEqualTo("SHA-256");
        assertThat(ChannelBinding.hashOf("SHA384withECDSA")).isEqualTo("SHA-384");
        assertThat(ChannelBinding.hashOf("SHA512withRSA")).isEqualTo("SHA-512");
        assertThat(ChannelBinding.hashOf("SHA1withRSA")).as("RFC 5929 upgrades SHA-1").isEqualTo("SHA-256");
        assertThat(ChannelBinding.hashOf("MD5withRSA")).isEqualTo("SHA-256");
    }
}
