// The peer broke the PostgreSQL wire protocol: FATAL 08P01, the connection must be closed.
package io.pgmux.protocol;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The peer broke the protocol: always FATAL with SQLSTATE 08P01 (protocol_violation). The stream can no longer be
 * framed, so the connection must be closed after reporting it.
 *
 * <p>Netty decoders wrap it in a {@code DecoderException}; use {@link #unwrap(Throwable)} to find it.
 */
public class ProtocolException extends PgException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(Severity.FATAL, SqlState.PROTOCOL_VIOLATION, message);
    }

    /**
     * The PgException inside {@code t}: {@code t} itself or the first one in its cause chain (e.g. inside Netty's
     * DecoderException), or null if there is none.
     */
    public static PgException unwrap(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = t; current != null && seen.add(current); current = current.getCause()) {
            if (current instanceof PgException) {
                return (PgException) current;
            }
        }
        return null;
    }
}
