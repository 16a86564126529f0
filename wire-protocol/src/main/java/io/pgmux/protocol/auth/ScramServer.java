// The server side of SCRAM-SHA-256, for authenticating clients of the proxy against a stored secret.
package io.pgmux.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One SCRAM-SHA-256 exchange as a PostgreSQL server runs it: {@link #serverFirstMessage(byte[])} answers
 * the client-first message, {@link #serverFinalMessage(byte[])} checks the proof and returns the server
 * signature. The user name inside the messages is ignored, as PostgreSQL does; the caller has already
 * chosen the secret from the startup message's user.
 *
 * <p>Channel binding ({@code p=...}) and authorization identities are rejected; a client that
 * supports binding but thinks the server does not ({@code y,,}) is accepted, because without TLS this
 * server indeed offers none. Hazard: to avoid revealing which users exist, callers should run an
 * exchange against a made-up secret for unknown users rather than failing early. Not thread-safe.
 */
public final class ScramServer {

    private final ScramSecret secret;
    private final String serverNonce;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String combinedNonce;
    private boolean finished;

    /** Prepares an exchange that accepts exactly the password behind {@code secret}. */
    public ScramServer(ScramSecret secret) {
        this(secret, ScramCrypto.newNonce());
    }

    /** For known-answer tests: a chosen server nonce. */
    ScramServer(ScramSecret secret, String serverNonce) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.serverNonce = Objects.requireNonNull(serverNonce, "serverNonce");
    }

    /**
     * Parses the client-first message and returns the server-first message,
     * {@code r=<client nonce><server nonce>,s=<salt>,i=<iterations>}.
     *
     * @throws ScramException        if the message is malformed, asks for channel binding, names an
     *                               authorization identity or requires an extension
     * @throws IllegalStateException if called twice
     */
    public byte[] serverFirstMessage(byte[] clientFirstMessage) {
        if (serverFirst != null) {
            throw new IllegalStateException("serverFirstMessage was already called");
        }
        String text = ScramMessage.decode(clientFirstMessage, "SCRAM client-first message");
        int bareStart = gs2HeaderLength(text);
        ScramMessage bare = ScramMessage.ofText(text.substring(bareStart), "SCRAM client-first message");
        if (bare.peekName() == 'm') {
            throw new ScramException("SCRAM client-first message requires an unsupported extension");
        }
        bare.nextAllowingEmpty('n'); // ignored: the startup message named the user
        String clientNonce = bare.next('r');
        ScramMessage.requireValidNonce(clientNonce, "SCRAM client nonce");
        bare.skipExtensions();
        gs2Header = text.substring(0, bareStart);
        clientFirstBare = bare.text();
        combinedNonce = clientNonce + serverNonce;
        serverFirst = "r=" + combinedNonce + ",s=" + ScramCrypto.base64(secret.salt()) + ",i=" + secret.iterations();
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the client-final message (channel binding, nonce, proof) and returns the server-final
     * message {@code v=<ServerSignature>}.
     *
     * @throws ScramException        if the message is malformed, does not match the exchange, or the
     *                               proof is wrong (the client does not know the password)
     * @throws IllegalStateException if {@link #serverFirstMessage(byte[])} was not called first, or
     *                               this method already ran
     */
    public byte[] serverFinalMessage(byte[] clientFinalMessage) {
        if (serverFirst == null || finished) {
            throw new IllegalStateException("serverFinalMessage needs exactly one prior serverFirstMessage");
        }
        finished = true;
        ScramMessage message = ScramMessage.of(clientFinalMessage, "SCRAM client-final message");
        String channelBinding = message.next('c');
        String expectedBinding = ScramCrypto.base64(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!channelBinding.equals(expectedBinding)) {
            throw new ScramException("SCRAM channel binding does not match the client-first message");
        }
        if (!message.next('r').equals(combinedNonce)) {
            throw new ScramException("SCRAM nonce does not match this exchange");
        }
        while (message.peekName() != 'p') {
            message.skip(); // extensions, which RFC 5802 lets a server ignore
        }
        int proofStart = message.position();
        byte[] proof = ScramCrypto.fromBase64(message.next('p'), "SCRAM client proof");
        message.expectEnd();
        String withoutProof = message.text().substring(0, proofStart - 1);
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        verifyProof(proof, authMessage);
        byte[] serverSignature = ScramCrypto.hmac(secret.serverKey(), authMessage);
        return ("v=" + ScramCrypto.base64(serverSignature)).getBytes(StandardCharsets.UTF_8);
    }

    private void verifyProof(byte[] proof, String authMessage) {
        byte[] storedKey = secret.storedKey();
        byte[] clientSignature = ScramCrypto.hmac(storedKey, authMessage);
        // Compare H(ClientKey) even when the proof has the wrong length, so timing reveals nothing extra.
        byte[] clientKey = proof.length == ScramCrypto.KEY_LENGTH
                ? ScramCrypto.xor(proof, clientSignature) : new byte[ScramCrypto.KEY_LENGTH];
        boolean matches = ScramCrypto.constantTimeEquals(ScramCrypto.sha256(clientKey), storedKey);
        if (!matches || proof.length != ScramCrypto.KEY_LENGTH) {
            throw new ScramException("SCRAM proof is wrong: password authentication failed");
        }
    }

    /** Length of the GS2 header ("n,," or "y,,"), rejecting channel binding and authorization ids. */
    private static int gs2HeaderLength(String text) {
        if (text.startsWith("p=")) {
            throw new ScramException("SCRAM channel binding is not supported");
        }
        if (!text.startsWith("n,") && !text.startsWith("y,")) {
            throw new ScramException("SCRAM client-first message has a malformed GS2 header");
        }
        if (text.length() < 3 || text.charAt(2) != ',') {
            throw new ScramException("SCRAM authorization identity is not supported");
        }
        if (text.length() == 3) {
            throw new ScramException("SCRAM client-first message ends after the GS2 header");
        }
        return 3;
    }
}
