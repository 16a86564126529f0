// The server side of SCRAM-SHA-256, for authenticating clients of the proxy against a stored secret.
package io.pgmux.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * One SCRAM-SHA-256 exchange as a PostgreSQL server runs it: {@link #serverFirstMessage(byte[])} answers
 * the client-first message, {@link #serverFinalMessage(byte[])} checks the proof and returns the server
 * signature. The user name inside the messages is ignored, as PostgreSQL does; the caller has already
 * chosen the secret from the startup message's user.
 *
 * <p>Without channel binding data (plain-text connections), {@code p=...} is rejected, and a client that
 * supports binding but thinks the server does not ({@code y,,}) is accepted, because this server indeed offers
 * none. With binding data (SCRAM-SHA-256-PLUS on TLS, {@code tls-server-end-point}), the client must use
 * {@code p=tls-server-end-point} and its {@code c=} attribute must carry exactly that data; {@code y,,} is then
 * refused as a downgrade, as PostgreSQL does. Authorization identities are rejected. Hazard: to avoid revealing
 * which users exist, callers should run an exchange against a made-up secret for unknown users rather than
 * failing early. Not thread-safe.
 */
public final class ScramServer {

    private static final String BINDING_TYPE = "tls-server-end-point";

    private final ScramSecret secret;
    private final String serverNonce;
    private final byte[] channelBinding;
    private final boolean plus;
    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String combinedNonce;
    private boolean finished;
    private boolean proofRejected;
    private byte[] clientKey;

    /** Prepares an exchange that accepts exactly the password behind {@code secret}. */
    public ScramServer(ScramSecret secret) {
        this(secret, ScramCrypto.newNonce(), false, null);
    }

    /**
     * An exchange on a connection that offers channel binding: {@code plus} is whether the client chose
     * SCRAM-SHA-256-PLUS, {@code channelBinding} the tls-server-end-point data of this connection (or null when
     * the connection has no TLS, in which case {@code plus} must be false).
     */
    public ScramServer(ScramSecret secret, boolean plus, byte[] channelBinding) {
        this(secret, ScramCrypto.newNonce(), plus, channelBinding);
    }

    /** For known-answer tests: a chosen server nonce. */
    ScramServer(ScramSecret secret, String serverNonce) {
        this(secret, serverNonce, false, null);
    }

    ScramServer(ScramSecret secret, String serverNonce, boolean plus, byte[] channelBinding) {
        this.secret = Objects.requireNonNull(secret, "secret");
        this.serverNonce = Objects.requireNonNull(serverNonce, "serverNonce");
        if (plus && channelBinding == null) {
            throw new IllegalArgumentException("SCRAM-SHA-256-PLUS needs channel binding data");
        }
        this.plus = plus;
        this.channelBinding = channelBinding == null ? null : channelBinding.clone();
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
        byte[] binding = ScramCrypto.fromBase64(message.next('c'), "SCRAM channel binding");
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] expectedBinding = plus ? concat(header, channelBinding) : header;
        if (!MessageDigest.isEqual(binding, expectedBinding)) {
            throw new ScramException("SCRAM channel binding check failed");
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
        byte[] recovered = proof.length == ScramCrypto.KEY_LENGTH
                ? ScramCrypto.xor(proof, clientSignature) : new byte[ScramCrypto.KEY_LENGTH];
        boolean matches = ScramCrypto.constantTimeEquals(ScramCrypto.sha256(recovered), storedKey);
        if (!matches || proof.length != ScramCrypto.KEY_LENGTH) {
            proofRejected = true;
            throw new ScramException("SCRAM proof is wrong: password authentication failed");
        }
        clientKey = recovered;
    }

    /**
     * Whether the exchange failed because the proof was wrong (the client does not know the password), as opposed
     * to a malformed or mismatched message.
     */
    public boolean proofRejected() {
        return proofRejected;
    }

    /**
     * The client's ClientKey, recovered from its verified proof, or null before a successful
     * {@link #serverFinalMessage(byte[])}. With the secret's ServerKey it lets pgmux log in to PostgreSQL as this
     * user ({@link ScramClient#withKeys}). Hazard: as good as the password against this secret; never log it.
     */
    public byte[] clientKey() {
        return clientKey == null ? null : clientKey.clone();
    }

    /**
     * Length of the GS2 header ("n,,", "y,," or "p=tls-server-end-point,,"), checked against the chosen
     * mechanism; authorization identities are rejected.
     */
    private int gs2HeaderLength(String text) {
        int flagLength;
        if (text.startsWith("p=")) {
            if (!plus || !text.startsWith("p=" + BINDING_TYPE + ",")) {
                throw new ScramException(plus ? "SCRAM channel binding type is not supported"
                        : "SCRAM channel binding is not supported without SCRAM-SHA-256-PLUS");
            }
            flagLength = ("p=" + BINDING_TYPE).length();
        } else if (text.startsWith("n,") || text.startsWith("y,")) {
            if (plus) {
                throw new ScramException("SCRAM-SHA-256-PLUS chosen but the client did not send channel binding");
            }
            if (text.startsWith("y,") && channelBinding != null) {
                // The client could bind but believes the server cannot: someone removed -PLUS from the offer.
                throw new ScramException("SCRAM channel binding negotiation error");
            }
            flagLength = 1;
        } else {
            throw new ScramException("SCRAM client-first message has a malformed GS2 header");
        }
        if (text.length() < flagLength + 2 || text.charAt(flagLength + 1) != ',') {
            throw new ScramException("SCRAM authorization identity is not supported");
        }
        if (text.length() == flagLength + 2) {
            throw new ScramException("SCRAM client-first message ends after the GS2 header");
        }
        return flagLength + 2;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
