// The one exception type of SCRAM authentication failures and malformed SCRAM messages.
package io.pgmux.protocol.auth;

/**
 * Thrown when a SCRAM exchange cannot continue: a malformed, truncated or oversized message, a nonce or
 * channel-binding mismatch, a wrong proof (wrong password) or a server signature that does not verify.
 * Messages never contain passwords, keys or proofs, so they are safe to log and to show to clients.
 */
public class ScramException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message safe to show. */
    public ScramException(String message) {
        super(message);
    }

    /** Creates an exception with a message safe to show and the underlying cause. */
    public ScramException(String message, Throwable cause) {
        super(message, cause);
    }
}
