// The authentication answers the integration tests cannot reach: cleartext, trust and unsupported methods.
package io.pgmux.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.pgmux.protocol.Authentication;
import io.pgmux.protocol.PasswordMessage;
import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.Test;

@DetectLeaks
class LoginExchangeTest {
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void cleartextRequestIsAnsweredWithThePassword() {
        ByteBuf answer = new LoginExchange("u", "secret").answer(ALLOC,
                new Authentication(Authentication.CLEARTEXT_PASSWORD, new byte[0]));
        try {
            assertThat(PasswordMessage.password(answer)).isEqualTo("secret");
        } finally {
            answer.release();
        }
    }

    @Test
    void trustNeedsNoAnswer() {
        assertThat(new LoginExchange("u", null).answer(ALLOC, new Authentication(Authentication.OK, new byte[0])))
                .isNull();
    }

    @Test
    void unsupportedMethodsAndMissingPasswordsFailWith28000() {
        assertThatThrownBy(() -> new LoginExchange("u", "p").answer(ALLOC,
                new Authentication(Authentication.GSS, new byte[0])))
                .isInstanceOfSatisfying(PgClientException.class, e -> assertThat(e.sqlState()).isEqualTo("28000"));
        assertThatThrownBy(() -> new LoginExchange("u", null).answer(ALLOC,
                new Authentication(Authentication.MD5_PASSWORD, new byte[4])))
                .isInstanceOfSatisfying(PgClientException.class, e -> assertThat(e.sqlState()).isEqualTo("28000"));
    }
}
