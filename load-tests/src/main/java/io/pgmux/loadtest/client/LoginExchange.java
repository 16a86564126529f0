// Answers the server's Authentication requests during login: trust, cleartext, md5 and SCRAM-SHA-256.
package io.pgmux.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.Authentication;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.auth.Md5Password;
import io.pgmux.protocol.auth.ScramClient;
import io.pgmux.protocol.auth.ScramException;

/** The client half of one login's authentication; not thread-safe (used on the channel's event loop). */
final class LoginExchange {
    private static final String SCRAM_SHA_256 = "SCRAM-SHA-256";

    private final String user;
    private final String password;
    private ScramClient scram;

    LoginExchange(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /**
     * The message answering {@code request}, or null when none is due (AuthenticationOk, SASLFinal).
     *
     * @throws PgClientException for a method this client cannot do or a server SCRAM proof that does not verify
     */
    ByteBuf answer(ByteBufAllocator alloc, Authentication request) {
        switch (request.code()) {
            case Authentication.OK:
                return null;
            case Authentication.CLEARTEXT_PASSWORD:
                return FrontendMessages.passwordMessage(alloc, requirePassword());
            case Authentication.MD5_PASSWORD:
                return FrontendMessages.passwordMessage(alloc,
                        Md5Password.clientResponse(user, requirePassword(), request.data()));
            case Authentication.SASL:
                return startScram(alloc, request);
            case Authentication.SASL_CONTINUE:
                return continueScram(alloc, request);
            case Authentication.SASL_FINAL:
                finishScram(request);
                return null;
            default:
                throw new PgClientException(PgClientException.AUTHENTICATION,
                        "unsupported authentication request code " + request.code());
        }
    }

    private ByteBuf startScram(ByteBufAllocator alloc, Authentication request) {
        if (!request.saslMechanisms().contains(SCRAM_SHA_256)) {
            throw new PgClientException(PgClientException.AUTHENTICATION,
                    "server offers no supported SASL mechanism: " + request.saslMechanisms());
        }
        scram = new ScramClient(requirePassword());
        return FrontendMessages.saslInitialResponse(alloc, SCRAM_SHA_256, scram.clientFirstMessage());
    }

    private ByteBuf continueScram(ByteBufAllocator alloc, Authentication request) {
        requireScramStarted();
        try {
            return FrontendMessages.saslResponse(alloc, scram.clientFinalMessage(request.data()));
        } catch (ScramException e) {
            throw new PgClientException(PgClientException.AUTHENTICATION, e.getMessage(), e);
        }
    }

    private void finishScram(Authentication request) {
        requireScramStarted();
        try {
            scram.verifyServerFinal(request.data());
        } catch (ScramException e) {
            throw new PgClientException(PgClientException.AUTHENTICATION, e.getMessage(), e);
        }
    }

    private void requireScramStarted() {
        if (scram == null) {
            throw new PgClientException(PgClientException.PROTOCOL, "SASL message before AuthenticationSASL");
        }
    }

    private String requirePassword() {
        if (password == null) {
            throw new PgClientException(PgClientException.AUTHENTICATION,
                    "server asks for a password but none was given");
        }
        return password;
    }
}
