// Known answers and verification rules of PostgreSQL's md5 password scheme.
package io.pgmux.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Md5PasswordTest {

    private static final byte[] SALT = {0x01, 0x02, (byte) 0xfe, 0x7f};

    @Test
    void storedSecretMatchesPostgresKnownAnswer() {
        assertThat(Md5Password.storedSecret("postgres", "postgres")).isEqualTo("md53175bce1d3201d16594cebf9d7eb3f9d");
    }

    @Test
    void clientResponseHashesTheStoredHexWithTheSalt() throws Exception {
        byte[] hex = "3175bce1d3201d16594cebf9d7eb3f9d".getBytes(StandardCharsets.US_ASCII);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(hex);
        md5.update(SALT);
        String expected = "md5" + HexFormat.of().formatHex(md5.digest());

        assertThat(Md5Password.clientResponse("postgres", "postgres", SALT)).isEqualTo(expected);
        assertThat(Md5Password.clientResponseFromStored("md53175bce1d3201d16594cebf9d7eb3f9d", SALT))
                .isEqualTo(expected);
    }

    @Test
    void responseDependsOnTheSalt() {
        byte[] otherSalt = {0x01, 0x02, (byte) 0xfe, 0x7e};

        assertThat(Md5Password.clientResponse("alice", "secret", SALT))
                .isNotEqualTo(Md5Password.clientResponse("alice", "secret", otherSalt));
    }

    @Test
    void verifyAcceptsTheRightResponseFromPlainPasswordOrStoredSecret() {
        String response = Md5Password.clientResponse("alice", "secret", SALT);

        assertThat(Md5Password.verify("alice", "secret", SALT, response)).isTrue();
        assertThat(Md5Password.verify("alice", Md5Password.storedSecret("alice", "secret"), SALT, response)).isTrue();
    }

    @Test
    void verifyRejectsWrongPasswordUserSaltOrGarbage() {
        String response = Md5Password.clientResponse("alice", "secret", SALT);

        assertThat(Md5Password.verify("alice", "Secret", SALT, response)).isFalse();
        assertThat(Md5Password.verify("bob", "secret", SALT, response)).isFalse();
        assertThat(Md5Password.verify("alice", "secret", new byte[] {0, 0, 0, 0}, response)).isFalse();
        assertThat(Md5Password.verify("alice", "secret", SALT, null)).isFalse();
        assertThat(Md5Password.verify("alice", "secret", SALT, "")).isFalse();
        assertThat(Md5Password.verify("alice", "secret", new byte[3], response)).isFalse();
    }

    @Test
    void malformedInputsAreRejected() {
        assertThatThrownBy(() -> Md5Password.clientResponse("a", "b", new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Md5Password.clientResponseFromStored("md5xyz", SALT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Md5Password.clientResponseFromStored("md53175BCE1D3201D16594CEBF9D7EB3F9D", SALT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
