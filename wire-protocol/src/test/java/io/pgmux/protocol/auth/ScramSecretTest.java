// Text form, derivation and validation of SCRAM-SHA-256 secrets.
package io.pgmux.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramSecretTest {

    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");

    @Test
    void textFormRoundTrips() {
        ScramSecret secret = ScramSecret.fromPassword("pencil", RFC_SALT, 4096);

        String text = secret.toString();
        ScramSecret parsed = ScramSecret.parse(text);

        assertThat(text).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$");
        assertThat(parsed).isEqualTo(secret);
        assertThat(parsed.toString()).isEqualTo(text);
        assertThat(parsed.iterations()).isEqualTo(4096);
        assertThat(parsed.salt()).isEqualTo(RFC_SALT);
    }

    @Test
    void derivationMatchesTheRfc7677Vector() {
        // Expected keys were computed with an independent PBKDF2-HMAC-SHA-256 implementation.
        ScramSecret secret = ScramSecret.fromPassword("pencil", RFC_SALT, 4096);

        assertThat(secret.toString()).isEqualTo("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
                + "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
    }

    @Test
    void defaultDerivationUsesRandomSixteenByteSaltAndPostgresIterations() {
        ScramSecret first = ScramSecret.fromPassword("pw");
        ScramSecret second = ScramSecret.fromPassword("pw");

        assertThat(first.iterations()).isEqualTo(4096);
        assertThat(first.salt()).hasSize(16);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void componentsAreCopiedSoTheSecretIsImmutable() {
        ScramSecret secret = ScramSecret.fromPassword("pw", new byte[] {1, 2, 3}, 2);

        secret.salt()[0] = 9;
        secret.storedKey()[0] ^= 1;

        assertThat(secret.salt()).containsExactly(1, 2, 3);
        assertThat(ScramSecret.parse(secret.toString())).isEqualTo(secret);
    }

    @Test
    void looksLikeSecretChecksOnlyThePrefix() {
        assertThat(ScramSecret.looksLikeSecret("SCRAM-SHA-256$anything")).isTrue();
        assertThat(ScramSecret.looksLikeSecret("md53175bce1d3201d16594cebf9d7eb3f9d")).isFalse();
        assertThat(ScramSecret.looksLikeSecret("plain password")).isFalse();
        assertThat(ScramSecret.looksLikeSecret(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "SCRAM-SHA-256$",
        "SCRAM-SHA-256$4096:c2FsdA==",
        "SCRAM-SHA-256$4096:c2FsdA==$",
        "SCRAM-SHA-256$0:c2FsdA==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$-1:c2FsdA==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$99999999999:c2FsdA==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:!!!$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:c2FsdA==$c2hvcnQ=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=",
        "SCRAM-SHA-256$4096:c2FsdA==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=:x",
        "SCRAM-SHA-256$4096:c2FsdA==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=$x",
        "md53175bce1d3201d16594cebf9d7eb3f9d"
    })
    void malformedTextIsRejectedWithScramException(String text) {
        assertThatThrownBy(() -> ScramSecret.parse(text)).isInstanceOf(ScramException.class);
    }

    @Test
    void nullAndOversizedTextAreRejectedWithScramException() {
        assertThatThrownBy(() -> ScramSecret.parse(null)).isInstanceOf(ScramException.class);
        assertThatThrownBy(() -> ScramSecret.parse("SCRAM-SHA-256$4096:" + "A".repeat(5000) + "$a:b"))
                .isInstanceOf(ScramException.class);
    }
}
