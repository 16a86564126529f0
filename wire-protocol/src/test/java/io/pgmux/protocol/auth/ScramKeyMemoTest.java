// Logging in again and again to one server: the keys are derived once per verifier.
package io.pgmux.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScramKeyMemoTest {

    private static void login(ScramSecret secret, String password, ScramKeyMemo memo) {
        ScramServer server = new ScramServer(secret);
        ScramClient client = new ScramClient(password, memo);
        byte[] first = server.serverFirstMessage(client.clientFirstMessage());
        client.verifyServerFinal(server.serverFinalMessage(client.clientFinalMessage(first)));
    }

    @Test
    void repeatedLoginsToOneVerifierDeriveTheKeysOnce() {
        ScramSecret secret = ScramSecret.fromPassword("the password");
        ScramKeyMemo memo = new ScramKeyMemo();
        for (int i = 0; i < 5; i++) {
            login(secret, "the password", memo);
        }
        assertThat(memo.derivations()).isEqualTo(1);
    }

    @Test
    void aNewVerifierOrPasswordDerivesAgain() {
        ScramKeyMemo memo = new ScramKeyMemo();
        login(ScramSecret.fromPassword("the password"), "the password", memo);
        login(ScramSecret.fromPassword("the password"), "the password", memo); // a new salt: ALTER ROLE ... PASSWORD
        assertThat(memo.derivations()).isEqualTo(2);
        ScramSecret changed = ScramSecret.fromPassword("changed");
        login(changed, "changed", memo);
        assertThat(memo.derivations()).isEqualTo(3);
        // The memo never answers for another password: the old one fails against the new verifier.
        assertThatThrownBy(() -> login(changed, "the password", memo)).isInstanceOf(ScramException.class);
    }
}
