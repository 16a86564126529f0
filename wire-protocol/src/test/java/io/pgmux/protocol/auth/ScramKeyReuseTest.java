// Logging in with the ClientKey recovered from another exchange, as pgmux does for passthrough users.
package io.pgmux.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScramKeyReuseTest {

    @Test
    void recoveredClientKeyLogsInToAnotherServerWithTheSameSecret() {
        ScramSecret secret = ScramSecret.fromPassword("the password");
        ScramServer front = new ScramServer(secret);
        ScramClient client = new ScramClient("the password");
        byte[] first = front.serverFirstMessage(client.clientFirstMessage());
        client.verifyServerFinal(front.serverFinalMessage(client.clientFinalMessage(first)));
        byte[] clientKey = front.clientKey();
        assertThat(clientKey).hasSize(32);

        // A second server holding the same secret (PostgreSQL) accepts a proof made from the keys alone.
        ScramServer backend = new ScramServer(secret);
        ScramClient proxy = ScramClient.withKeys(clientKey, secret.serverKey());
        byte[] backendFirst = backend.serverFirstMessage(proxy.clientFirstMessage());
        proxy.verifyServerFinal(backend.serverFinalMessage(proxy.clientFinalMessage(backendFirst)));
    }

    @Test
    void keysOfAnOldPasswordFailAgainstTheNewSecret() {
        ScramSecret old = ScramSecret.fromPassword("old");
        ScramServer front = new ScramServer(old);
        ScramClient client = new ScramClient("old");
        byte[] first = front.serverFirstMessage(client.clientFirstMessage());
        front.serverFinalMessage(client.clientFinalMessage(first));

        ScramServer backend = new ScramServer(ScramSecret.fromPassword("new"));
        ScramClient proxy = ScramClient.withKeys(front.clientKey(), old.serverKey());
        byte[] backendFirst = backend.serverFirstMessage(proxy.clientFirstMessage());
        assertThatThrownBy(() -> backend.serverFinalMessage(proxy.clientFinalMessage(backendFirst)))
                .isInstanceOf(ScramException.class);
        assertThat(backend.proofRejected()).isTrue();
    }

    @Test
    void noClientKeyBeforeASuccessfulProof() {
        ScramServer server = new ScramServer(ScramSecret.fromPassword("x"));
        assertThat(server.clientKey()).isNull();
    }
}
