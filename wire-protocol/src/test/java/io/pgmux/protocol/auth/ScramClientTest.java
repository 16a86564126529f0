// The SCRAM client against RFC 7677's test vector and against malformed server messages.
package io.pgmux.protocol.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramClientTest {

    static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private final ScramClient rfcClient = new ScramClient("pencil", "user", CLIENT_NONCE);

    @Test
    void reproducesRfc7677Vector() {
        assertThat(text(rfcClient.clientFirstMessage())).isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
        assertThat(text(rfcClient.clientFinalMessage(bytes(SERVER_FIRST)))).isEqualTo(CLIENT_FINAL);
        rfcClient.verifyServerFinal(bytes(SERVER_FINAL));
    }

    @Test
    void postgresStyleFirstMessageHasEmptyUserAndFreshNonce() {
        String first = text(new ScramClient("pw").clientFirstMessage());
        String second = text(new ScramClient("pw").clientFirstMessage());

        assertThat(first).matches("n,,n=,r=[A-Za-z0-9+/=]{24}");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void wrongServerSignatureIsRejected() {
        rfcClient.clientFinalMessage(bytes(SERVER_FIRST));

        assertThatThrownBy(() -> rfcClient.verifyServerFinal(bytes("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))
                .isInstanceOf(ScramException.class);
    }

    @Test
    void serverErrorIsRejectedWithItsText() {
        rfcClient.clientFinalMessage(bytes(SERVER_FIRST));

        assertThatThrownBy(() -> rfcClient.verifyServerFinal(bytes("e=invalid-proof")))
                .isInstanceOf(ScramException.class)
                .hasMessageContaining("invalid-proof");
    }

    @Test
    void verifyingBeforeTheFinalMessageIsAnApiMisuse() {
        assertThatThrownBy(() -> rfcClient.verifyServerFinal(bytes(SERVER_FINAL)))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "r=rOprNGfwEbeRWgbNEkqO",
        "r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=***,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-5",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096x",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==",
        "r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,",
        "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOxyz,i=4096",
        "m=ext,r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqO x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "e=other-error"
    })
    void malformedServerFirstIsRejectedWithScramException(String serverFirst) {
        assertThatThrownBy(() -> rfcClient.clientFinalMessage(bytes(serverFirst))).isInstanceOf(ScramException.class);
    }

    @Test
    void oversizedOrInvalidUtf8ServerFirstIsRejected() {
        String longNonce = "r=" + CLIENT_NONCE + "x".repeat(2000) + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

        assertThatThrownBy(() -> rfcClient.clientFinalMessage(bytes(longNonce))).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> rfcClient.clientFinalMessage(new byte[10_000])).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> rfcClient.clientFinalMessage(new byte[] {'r', '=', (byte) 0xC3}))
                .isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> rfcClient.clientFinalMessage(null)).isInstanceOf(ScramException.class);
    }

    @Test
    void malformedServerFinalIsRejected() {
        rfcClient.clientFinalMessage(bytes(SERVER_FIRST));

        assertThatThrownBy(() -> rfcClient.verifyServerFinal(bytes("v=not base64!"))).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> rfcClient.verifyServerFinal(bytes("x=1"))).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> rfcClient.verifyServerFinal(bytes(""))).isInstanceOf(ScramException.class);
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
