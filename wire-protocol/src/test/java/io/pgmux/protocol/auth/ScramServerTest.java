// The SCRAM server against RFC 7677's vector, the client of this package, and tampered messages.
package io.pgmux.protocol.auth;

import static io.pgmux.protocol.auth.ScramClientTest.bytes;
import static io.pgmux.protocol.auth.ScramClientTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramServerTest {

    private static final ScramSecret PENCIL =
            ScramSecret.fromPassword("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
    private static final String RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    @Test
    void reproducesRfc7677Vector() {
        ScramServer server = new ScramServer(PENCIL, RFC_SERVER_NONCE);

        byte[] serverFirst = server.serverFirstMessage(bytes("n,,n=user,r=" + ScramClientTest.CLIENT_NONCE));
        byte[] serverFinal = server.serverFinalMessage(bytes(ScramClientTest.CLIENT_FINAL));

        assertThat(text(serverFirst)).isEqualTo(ScramClientTest.SERVER_FIRST);
        assertThat(text(serverFinal)).isEqualTo(ScramClientTest.SERVER_FINAL);
    }

    @Test
    void clientAndServerAgreeOnTheRightPassword() {
        ScramSecret secret = ScramSecret.fromPassword("correct horse");
        ScramClient client = new ScramClient("correct horse");
        ScramServer server = new ScramServer(secret);

        byte[] serverFirst = server.serverFirstMessage(client.clientFirstMessage());
        byte[] serverFinal = server.serverFinalMessage(client.clientFinalMessage(serverFirst));
        client.verifyServerFinal(serverFinal);

        assertThat(text(serverFinal)).startsWith("v=");
    }

    @Test
    void wrongPasswordIsRejected() {
        ScramServer server = new ScramServer(ScramSecret.fromPassword("right"));
        ScramClient client = new ScramClient("wrong");

        byte[] serverFirst = server.serverFirstMessage(client.clientFirstMessage());
        byte[] clientFinal = client.clientFinalMessage(serverFirst);

        assertThatThrownBy(() -> server.serverFinalMessage(clientFinal))
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void clientRejectsAServerThatDoesNotKnowThePassword() {
        ScramClient client = new ScramClient("pw");
        ScramServer impostor = new ScramServer(ScramSecret.fromPassword("something else"));
        byte[] serverFirst = impostor.serverFirstMessage(client.clientFirstMessage());
        client.clientFinalMessage(serverFirst);

        byte[] forgedFinal = bytes("v=" + Base64.getEncoder().encodeToString(new byte[32]));

        assertThatThrownBy(() -> client.verifyServerFinal(forgedFinal)).isInstanceOf(ScramException.class);
    }

    @Test
    void tamperedProofIsRejected() {
        String clientFinal = ScramClientTest.CLIENT_FINAL;
        String tampered = clientFinal.substring(0, clientFinal.length() - 5) + "AndVR=";

        assertThatThrownBy(() -> rfcServerAfterFirst().serverFinalMessage(bytes(tampered)))
                .isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> rfcServerAfterFirst().serverFinalMessage(bytes(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=c2hvcnQ=")))
                .isInstanceOf(ScramException.class);
    }

    @Test
    void tamperedNonceIsRejected() {
        String otherNonce = ScramClientTest.CLIENT_FINAL.replace("hNlF$k0", "hNlF$k1");

        assertThatThrownBy(() -> rfcServerAfterFirst().serverFinalMessage(bytes(otherNonce)))
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("nonce");
    }

    @Test
    void channelBindingAttributeMustMatchTheGs2Header() {
        String claimsBindingSupport = ScramClientTest.CLIENT_FINAL.replace("c=biws", "c=eSws");

        assertThatThrownBy(() -> rfcServerAfterFirst().serverFinalMessage(bytes(claimsBindingSupport)))
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("channel binding");
    }

    @Test
    void clientThatSupportsBindingButDoesNotUseItLogsInWithMatchingAttribute() {
        ScramServer server = new ScramServer(PENCIL, "servernonce");
        String serverFirst = text(server.serverFirstMessage(bytes("y,,n=,r=clientnonce")));

        String clientFinal = YClient.finalMessage("pencil", PENCIL, "n=,r=clientnonce", serverFirst);

        assertThat(clientFinal).startsWith("c=eSws,");
        assertThat(text(server.serverFinalMessage(bytes(clientFinal)))).startsWith("v=");
    }

    @Test
    void clientThatSentYButBindsAsNIsRejected() {
        ScramServer server = new ScramServer(PENCIL, "servernonce");
        byte[] serverFirst = server.serverFirstMessage(bytes("y,,n=,r=clientnonce"));
        // ScramClient always signs an "n,," exchange, so its final message carries c=biws.
        byte[] clientFinal = new ScramClient("pencil", "", "clientnonce").clientFinalMessage(serverFirst);

        assertThatThrownBy(() -> server.serverFinalMessage(clientFinal))
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("channel binding");
    }

    @Test
    void unsupportedClientFirstMessagesAreRejected() {
        String[] rejected = {
            "p=tls-server-end-point,,n=,r=abc",
            "n,a=admin,n=,r=abc",
            "x,,n=,r=abc",
            "n,,",
            "n,,n=,r=",
            "n,,m=ext,n=,r=abc",
            "n,,r=abc",
            "n,,n=,r=a,b",
            "n,,n=,r=" + "a".repeat(1025),
            "n,,n=,r=abc def",
            "",
        };
        for (String message : rejected) {
            assertThatThrownBy(() -> new ScramServer(PENCIL).serverFirstMessage(bytes(message)))
                    .as(message)
                    .isInstanceOf(ScramException.class);
        }
        assertThatThrownBy(() -> new ScramServer(PENCIL).serverFirstMessage(null)).isInstanceOf(ScramException.class);
    }

    @Test
    void malformedClientFinalMessagesAreRejected() {
        String nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        String[] rejected = {
            "",
            "c=biws",
            "c=biws,r=" + nonce,
            "r=" + nonce + ",c=biws,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            "c=biws,r=" + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=,x=1",
            "c=biws,r=" + nonce + ",p=!!!",
            "c=biws,r=" + nonce + ",p=",
            "c=biws,r=" + nonce + ",,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        };
        for (String message : rejected) {
            assertThatThrownBy(() -> rfcServerAfterFirst().serverFinalMessage(bytes(message)))
                    .as(message)
                    .isInstanceOf(ScramException.class);
        }
    }

    @Test
    void unknownExtensionsBeforeTheProofAreIgnored() {
        String withExtension = ScramClientTest.CLIENT_FINAL.replace(",p=", ",x=extension,p=");

        assertThatThrownBy(() -> rfcServerAfterFirst().serverFinalMessage(bytes(withExtension)))
                .as("the extension is covered by the proof, so the RFC proof no longer matches")
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("proof");
    }

    @Test
    void messagesOutOfOrderAreApiMisuse() {
        ScramServer server = new ScramServer(PENCIL);

        assertThatThrownBy(() -> server.serverFinalMessage(bytes(ScramClientTest.CLIENT_FINAL)))
                .isInstanceOf(IllegalStateException.class);
        server.serverFirstMessage(bytes("n,,n=,r=abc"));
        assertThatThrownBy(() -> server.serverFirstMessage(bytes("n,,n=,r=abc")))
                .isInstanceOf(IllegalStateException.class);
    }

    private static ScramServer rfcServerAfterFirst() {
        ScramServer server = new ScramServer(PENCIL, RFC_SERVER_NONCE);
        server.serverFirstMessage(bytes("n,,n=user,r=" + ScramClientTest.CLIENT_NONCE));
        return server;
    }

    /** Builds the client-final message of a client that sent the "y,," GS2 header. */
    private static final class YClient {
        static String finalMessage(String password, ScramSecret secret, String clientFirstBare, String serverFirst) {
            String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
            String withoutProof = "c=eSws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] salted = ScramCrypto.hi(ScramCrypto.passwordBytes(password), secret.salt(), secret.iterations());
            byte[] clientKey = ScramCrypto.hmac(salted, "Client Key");
            byte[] signature = ScramCrypto.hmac(ScramCrypto.sha256(clientKey), authMessage);
            return withoutProof + ",p=" + ScramCrypto.base64(ScramCrypto.xor(clientKey, signature));
        }
    }
}
