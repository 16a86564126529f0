// The failure of a PgClient request or login, carrying the SQLSTATE the server (or the client) reported.
package io.pgmux.loadtest.client;

import io.pgmux.protocol.ErrorFields;

/**
 * A request or a login that failed. Server errors carry the server's SQLSTATE; failures detected on the client side
 * use the standard class 08 codes ({@link #UNABLE_TO_CONNECT}, {@link #CONNECTION_FAILURE}) or {@link #PROTOCOL}.
 */
public class PgClientException extends RuntimeException {
    /** 08001: the TCP connection could not be established or the login did not finish in time. */
    public static final String UNABLE_TO_CONNECT = "08001";
    /** 08006: the connection broke or was closed while a request was outstanding. */
    public static final String CONNECTION_FAILURE = "08006";
    /** 08P01: the server sent something this client does not understand or support. */
    public static final String PROTOCOL = "08P01";
    /** 28000: authentication could not be completed on the client side (unsupported method, bad server proof). */
    public static final String AUTHENTICATION = "28000";

    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public PgClientException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public PgClientException(String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The exception for an ErrorResponse; a response without a code is reported as XX000 (internal error). */
    static PgClientException of(ErrorFields fields) {
        String state = fields.sqlState() != null ? fields.sqlState() : "XX000";
        String text = fields.message() != null ? fields.message() : "";
        return new PgClientException(state, fields.severity() + ": " + text);
    }

    /** The five-character SQLSTATE, e.g. {@code 53300} for too many connections. */
    public String sqlState() {
        return sqlState;
    }

    @Override
    public String toString() {
        return "PgClientException[" + sqlState + "]: " + getMessage();
    }
}
