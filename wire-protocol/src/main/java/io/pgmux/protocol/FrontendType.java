// Type bytes of the typed messages a PostgreSQL client (frontend) sends, with their names for logs and errors.
package io.pgmux.protocol;

/**
 * Type bytes of messages sent by the client (frontend), protocol 3.0.
 *
 * <p>{@link #PASSWORD_MESSAGE} ('p') is shared by PasswordMessage, SASLInitialResponse, SASLResponse and GSSResponse;
 * which one a given message is depends on the authentication state, not on the byte.
 */
public final class FrontendType {
    public static final byte BIND = 'B';
    public static final byte CLOSE = 'C';
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_FAIL = 'f';
    public static final byte DESCRIBE = 'D';
    public static final byte EXECUTE = 'E';
    public static final byte FLUSH = 'H';
    public static final byte FUNCTION_CALL = 'F';
    public static final byte PARSE = 'P';
    /** Also SASLInitialResponse, SASLResponse and GSSResponse. */
    public static final byte PASSWORD_MESSAGE = 'p';
    public static final byte QUERY = 'Q';
    public static final byte SYNC = 'S';
    public static final byte TERMINATE = 'X';

    private static final TypeNames NAMES = new TypeNames()
            .add(BIND, "Bind").add(CLOSE, "Close").add(COPY_DATA, "CopyData").add(COPY_DONE, "CopyDone")
            .add(COPY_FAIL, "CopyFail").add(DESCRIBE, "Describe").add(EXECUTE, "Execute").add(FLUSH, "Flush")
            .add(FUNCTION_CALL, "FunctionCall").add(PARSE, "Parse").add(PASSWORD_MESSAGE, "PasswordMessage")
            .add(QUERY, "Query").add(SYNC, "Sync").add(TERMINATE, "Terminate");

    private FrontendType() {
    }

    /** Whether {@code type} is a message type a protocol 3.0 client may send after startup. */
    public static boolean isKnown(byte type) {
        return NAMES.isKnown(type);
    }

    /** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT: the longest Describe, Close, Execute, Flush, Sync, Terminate or CopyDone. */
    public static final int SMALL_MESSAGE_LIMIT = 10_000;

    /**
     * The longest length field PostgreSQL accepts for a message of this type (postgres.c, SocketBackend): the messages
     * that carry at most a name are small, and a longer one is a protocol violation, not a message to wait for.
     */
    public static long maxLength(byte type) {
        return switch (type) {
            case DESCRIBE, CLOSE, EXECUTE, FLUSH, SYNC, TERMINATE, COPY_DONE -> SMALL_MESSAGE_LIMIT;
            default -> Integer.MAX_VALUE;
        };
    }

    /** The message name ("Query", "Parse", ...) or {@code "unknown(0xNN)"}. */
    public static String name(byte type) {
        return NAMES.name(type);
    }
}
