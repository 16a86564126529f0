// The client side of SCRAM-SHA-256 as PostgreSQL speaks it, for logging in to a backend.
package io.pgmux.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One SCRAM-SHA-256 exchange (RFC 5802 / RFC 7677) as a PostgreSQL client: empty user name
 * ({@code n=}, the server takes the user from the startup message) and no channel binding
 * ({@code n,,}). Call {@link #clientFirstMessage()}, then {@link #clientFinalMessage(byte[])} with the
 * server-first message, then {@link #verifyServerFinal(byte[])}; an instance serves one exchange.
 *
 * <p>Hazard: the password is not normalized with SASLprep. PostgreSQL normalizes non-ASCII passwords,
 * so those may fail to log in; ASCII passwords are unaffected. Not thread-safe.
 */
public final class ScramClient {

    private static final String GS2_HEADER = "n,,";
    private static final String CHANNEL_BINDING = ScramCrypto.base64(GS2_HEADER.getBytes(StandardCharsets.US_ASCII));

    private final String password;
    private final ScramKeyMemo memo;
    private final byte[] givenClientKey;
    private final byte[] givenServerKey;
    private final String clientFirstBare;
    private final String clientNonce;
    private byte[] expectedServerSignature;

    /** Starts an exchange for {@code password} with a fresh random nonce. */
    public ScramClient(String password) {
        this(password, new ScramKeyMemo());
    }

    /**
     * Starts an exchange for {@code password} whose keys come from {@code memo} when an earlier exchange of the same
     * memo saw the same salt and iteration count (a pool's logins to one server as one user).
     */
    public ScramClient(String password, ScramKeyMemo memo) {
        this(Objects.requireNonNull(password, "password"), memo, null, null, "", ScramCrypto.newNonce());
    }

    /** For known-answer tests: a chosen user name (PostgreSQL clients send none) and nonce. */
    ScramClient(String password, String username, String clientNonce) {
        this(Objects.requireNonNull(password, "password"), new ScramKeyMemo(), null, null, username, clientNonce);
    }

    private ScramClient(String password, ScramKeyMemo memo, byte[] clientKey, byte[] serverKey, String username,
                        String clientNonce) {
        this.password = password;
        this.memo = memo;
        this.givenClientKey = clientKey;
        this.givenServerKey = serverKey;
        this.clientNonce = Objects.requireNonNull(clientNonce, "clientNonce");
        this.clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
    }

    /**
     * Starts an exchange that proves knowledge of the password without knowing it: with the ClientKey recovered
     * from a client's own SCRAM login and the ServerKey of the stored secret, as PgBouncer does for passthrough
     * logins. Works only while the server's secret is the one these keys belong to. Hazard: the keys are as good
     * as the password for logging in to this server; keep them in memory only.
     */
    public static ScramClient withKeys(byte[] clientKey, byte[] serverKey) {
        if (clientKey.length != ScramCrypto.KEY_LENGTH || serverKey.length != ScramCrypto.KEY_LENGTH) {
            throw new IllegalArgumentException("ClientKey and ServerKey must be 32 bytes");
        }
        return new ScramClient(null, null, clientKey.clone(), serverKey.clone(), "", ScramCrypto.newNonce());
    }

    /** The client-first message, {@code n,,n=,r=<nonce>}, in UTF-8. */
    public byte[] clientFirstMessage() {
        return utf8(GS2_HEADER + clientFirstBare);
    }

    /**
     * Answers the server-first message with the client-final message carrying the proof.
     *
     * @throws ScramException if the server-first message is malformed, its nonce does not extend ours,
     *                        its salt is not base64 or its iteration count is not positive
     */
    public byte[] clientFinalMessage(byte[] serverFirstMessage) {
        ScramMessage message = ScramMessage.of(serverFirstMessage, "SCRAM server-first message");
        if (message.peekName() == 'm') {
            throw new ScramException("SCRAM server-first message requires an unsupported extension");
        }
        String nonce = message.next('r');
        byte[] salt = ScramCrypto.fromBase64(message.next('s'), "SCRAM salt");
        int iterations = ScramMessage.positiveInt(message.next('i'), "SCRAM iteration count");
        message.skipExtensions();
        ScramMessage.requireValidNonce(nonce, "SCRAM server nonce");
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new ScramException("SCRAM server nonce does not extend the client nonce");
        }
        if (salt.length == 0) {
            throw new ScramException("SCRAM salt is empty");
        }
        String clientFinalWithoutProof = "c=" + CHANNEL_BINDING + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + message.text() + "," + clientFinalWithoutProof;

        byte[] clientKey = givenClientKey;
        byte[] serverKey = givenServerKey;
        if (password != null) {
            byte[][] keys = memo.keys(password, salt, iterations);
            clientKey = keys[0];
            serverKey = keys[1];
        }
        byte[] storedKey = ScramCrypto.sha256(clientKey);
        byte[] clientSignature = ScramCrypto.hmac(storedKey, authMessage);
        byte[] proof = ScramCrypto.xor(clientKey, clientSignature);
        expectedServerSignature = ScramCrypto.hmac(serverKey, authMessage);
        return utf8(clientFinalWithoutProof + ",p=" + ScramCrypto.base64(proof));
    }

    /**
     * Checks the server-final message, proving the server knew the password too.
     *
     * @throws ScramException        if it reports an error ({@code e=...}), is malformed, or its signature
     *                               does not match
     * @throws IllegalStateException if {@link #clientFinalMessage(byte[])} has not succeeded before
     */
    public void verifyServerFinal(byte[] serverFinalMessage) {
        if (expectedServerSignature == null) {
            throw new IllegalStateException("clientFinalMessage must succeed before verifyServerFinal");
        }
        ScramMessage message = ScramMessage.of(serverFinalMessage, "SCRAM server-final message");
        if (message.peekName() == 'e') {
            throw new ScramException("SCRAM server reported an error: " + message.next('e'));
        }
        byte[] signature = ScramCrypto.fromBase64(message.next('v'), "SCRAM server signature");
        message.skipExtensions();
        if (!ScramCrypto.constantTimeEquals(signature, expectedServerSignature)) {
            throw new ScramException("SCRAM server signature does not match: the server does not know the password");
        }
    }

    /** RFC 5802 saslname: '=' and ',' are escaped as =3D and =2C. */
    private static String saslName(String username) {
        return Objects.requireNonNull(username, "username").replace("=", "=3D").replace(",", "=2C");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
