// Type bytes of the typed messages a PostgreSQL server (backend) sends, with their names for logs and errors.
package io.pgmux.protocol;

/** Type bytes of messages sent by the server (backend), protocol 3.0 to 3.2. */
public final class BackendType {
    public static final byte AUTHENTICATION = 'R';
    public static final byte BACKEND_KEY_DATA = 'K';
    public static final byte BIND_COMPLETE = '2';
    public static final byte CLOSE_COMPLETE = '3';
    public static final byte COMMAND_COMPLETE = 'C';
    public static final byte COPY_DATA = 'd';
    public static final byte COPY_DONE = 'c';
    public static final byte COPY_IN_RESPONSE = 'G';
    public static final byte COPY_OUT_RESPONSE = 'H';
    public static final byte COPY_BOTH_RESPONSE = 'W';
    public static final byte DATA_ROW = 'D';
    public static final byte EMPTY_QUERY_RESPONSE = 'I';
    public static final byte ERROR_RESPONSE = 'E';
    public static final byte FUNCTION_CALL_RESPONSE = 'V';
    public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
    public static final byte NO_DATA = 'n';
    public static final byte NOTICE_RESPONSE = 'N';
    public static final byte NOTIFICATION_RESPONSE = 'A';
    public static final byte PARAMETER_DESCRIPTION = 't';
    public static final byte PARAMETER_STATUS = 'S';
    public static final byte PARSE_COMPLETE = '1';
    public static final byte PORTAL_SUSPENDED = 's';
    public static final byte READY_FOR_QUERY = 'Z';
    public static final byte ROW_DESCRIPTION = 'T';

    private static final TypeNames NAMES = new TypeNames()
            .add(AUTHENTICATION, "Authentication").add(BACKEND_KEY_DATA, "BackendKeyData")
            .add(BIND_COMPLETE, "BindComplete").add(CLOSE_COMPLETE, "CloseComplete")
            .add(COMMAND_COMPLETE, "CommandComplete").add(COPY_DATA, "CopyData").add(COPY_DONE, "CopyDone")
            .add(COPY_IN_RESPONSE, "CopyInResponse").add(COPY_OUT_RESPONSE, "CopyOutResponse")
            .add(COPY_BOTH_RESPONSE, "CopyBothResponse").add(DATA_ROW, "DataRow")
            .add(EMPTY_QUERY_RESPONSE, "EmptyQueryResponse").add(ERROR_RESPONSE, "ErrorResponse")
            .add(FUNCTION_CALL_RESPONSE, "FunctionCallResponse")
            .add(NEGOTIATE_PROTOCOL_VERSION, "NegotiateProtocolVersion").add(NO_DATA, "NoData")
            .add(NOTICE_RESPONSE, "NoticeResponse").add(NOTIFICATION_RESPONSE, "NotificationResponse")
            .add(PARAMETER_DESCRIPTION, "ParameterDescription").add(PARAMETER_STATUS, "ParameterStatus")
            .add(PARSE_COMPLETE, "ParseComplete").add(PORTAL_SUSPENDED, "PortalSuspended")
            .add(READY_FOR_QUERY, "ReadyForQuery").add(ROW_DESCRIPTION, "RowDescription");

    private BackendType() {
    }

    /** Whether {@code type} is a message type a PostgreSQL server may send. */
    public static boolean isKnown(byte type) {
        return NAMES.isKnown(type);
    }

    /** The message name ("ReadyForQuery", "DataRow", ...) or {@code "unknown(0xNN)"}. */
    public static String name(byte type) {
        return NAMES.name(type);
    }
}
