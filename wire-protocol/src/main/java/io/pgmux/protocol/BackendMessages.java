// Encoders for the messages the proxy itself sends to clients (backend direction).
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.util.List;
import java.util.Map;

/**
 * Messages the proxy sends TO CLIENTS. Each method returns a new ByteBuf the caller owns (normally by writing it to a
 * channel, which releases it), except the shared constants, which are unreleasable read-only buffers handed out as
 * {@code duplicate()}: releasing them is harmless, writing into them fails.
 *
 * <p>Strings are UTF-8; a string containing NUL is rejected with IllegalArgumentException, except in error and notice
 * fields, where NULs are replaced by spaces so that reporting an error can never fail.
 */
public final class BackendMessages {
    private static final ByteBuf AUTHENTICATION_OK =
            MessageWriter.constant(MessageWriter.fixed(BackendType.AUTHENTICATION, 0, 0, 0, Authentication.OK));
    private static final ByteBuf AUTHENTICATION_CLEARTEXT = MessageWriter.constant(
            MessageWriter.fixed(BackendType.AUTHENTICATION, 0, 0, 0, Authentication.CLEARTEXT_PASSWORD));
    private static final ByteBuf READY_IDLE = readyConstant(TransactionStatus.IDLE);
    private static final ByteBuf READY_IN_TRANSACTION = readyConstant(TransactionStatus.IN_TRANSACTION);
    private static final ByteBuf READY_FAILED = readyConstant(TransactionStatus.FAILED);
    private static final ByteBuf EMPTY_QUERY_RESPONSE =
            MessageWriter.constant(MessageWriter.fixed(BackendType.EMPTY_QUERY_RESPONSE));
    private static final ByteBuf PARSE_COMPLETE = MessageWriter.constant(MessageWriter.fixed(BackendType.PARSE_COMPLETE));
    private static final ByteBuf CLOSE_COMPLETE = MessageWriter.constant(MessageWriter.fixed(BackendType.CLOSE_COMPLETE));
    private static final ByteBuf BIND_COMPLETE = MessageWriter.constant(MessageWriter.fixed(BackendType.BIND_COMPLETE));
    private static final ByteBuf NO_DATA = MessageWriter.constant(MessageWriter.fixed(BackendType.NO_DATA));
    private static final ByteBuf NO_PARAMETERS =
            MessageWriter.constant(MessageWriter.fixed(BackendType.PARAMETER_DESCRIPTION, 0, 0));
    private static final ByteBuf SSL_REFUSED = MessageWriter.constant((byte) 'N');
    private static final ByteBuf SSL_ACCEPTED = MessageWriter.constant((byte) 'S');

    private BackendMessages() {
    }

    /** ErrorResponse with fields S, V, C, M and, when present, D and H. */
    public static ByteBuf errorResponse(ByteBufAllocator alloc, PgException error) {
        return ErrorMessageWriter.write(alloc, BackendType.ERROR_RESPONSE, error.severity(), error.sqlState(),
                error.getMessage(), error.detail(), error.hint());
    }

    public static ByteBuf errorResponse(ByteBufAllocator alloc, Severity severity, String sqlState, String message) {
        return ErrorMessageWriter.write(alloc, BackendType.ERROR_RESPONSE, severity, sqlState, message, null, null);
    }

    public static ByteBuf noticeResponse(ByteBufAllocator alloc, Severity severity, String sqlState, String message) {
        return ErrorMessageWriter.write(alloc, BackendType.NOTICE_RESPONSE, severity, sqlState, message, null, null);
    }

    /** Shared constant. */
    public static ByteBuf parseComplete() {
        return PARSE_COMPLETE.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf closeComplete() {
        return CLOSE_COMPLETE.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf bindComplete() {
        return BIND_COMPLETE.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf noData() {
        return NO_DATA.duplicate();
    }

    /** Shared constant: a ParameterDescription of a statement without parameters. */
    public static ByteBuf noParameters() {
        return NO_PARAMETERS.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf authenticationOk() {
        return AUTHENTICATION_OK.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf authenticationCleartextPassword() {
        return AUTHENTICATION_CLEARTEXT.duplicate();
    }

    public static ByteBuf authenticationMd5Password(ByteBufAllocator alloc, byte[] salt4) {
        if (salt4.length != 4) {
            throw new IllegalArgumentException("MD5 salt must be 4 bytes, got " + salt4.length);
        }
        return authentication(alloc, Authentication.MD5_PASSWORD, salt4);
    }

    /** AuthenticationSASL offering {@code mechanisms} in preference order. */
    public static ByteBuf authenticationSasl(ByteBufAllocator alloc, List<String> mechanisms) {
        return MessageWriter.build(alloc, BackendType.AUTHENTICATION, buf -> {
            buf.writeInt(Authentication.SASL);
            for (String mechanism : mechanisms) {
                if (mechanism.isEmpty()) {
                    throw new IllegalArgumentException("empty SASL mechanism name would end the list");
                }
                MessageWriter.writeCString(buf, mechanism);
            }
            buf.writeByte(0);
        });
    }

    public static ByteBuf authenticationSaslContinue(ByteBufAllocator alloc, byte[] data) {
        return authentication(alloc, Authentication.SASL_CONTINUE, data);
    }

    public static ByteBuf authenticationSaslFinal(ByteBufAllocator alloc, byte[] data) {
        return authentication(alloc, Authentication.SASL_FINAL, data);
    }

    private static ByteBuf authentication(ByteBufAllocator alloc, int code, byte[] data) {
        return MessageWriter.build(alloc, BackendType.AUTHENTICATION, buf -> buf.writeInt(code).writeBytes(data));
    }

    public static ByteBuf parameterStatus(ByteBufAllocator alloc, String name, String value) {
        return MessageWriter.build(alloc, BackendType.PARAMETER_STATUS, buf -> parameterStatusBody(buf, name, value));
    }

    private static void parameterStatusBody(ByteBuf buf, String name, String value) {
        MessageWriter.writeCString(buf, name);
        MessageWriter.writeCString(buf, value);
    }

    /**
     * The end of a login in one buffer: AuthenticationOk, a ParameterStatus per entry of {@code parameters} (in its
     * iteration order), BackendKeyData and ReadyForQuery (idle). One buffer and one write instead of a dozen: a
     * connection storm sends this once per client.
     */
    public static ByteBuf loginCompletion(ByteBufAllocator alloc, Map<String, String> parameters, int processId,
                                          int secretKey) {
        ByteBuf buf = alloc.buffer(256);
        try {
            buf.writeBytes(AUTHENTICATION_OK, AUTHENTICATION_OK.readerIndex(), AUTHENTICATION_OK.readableBytes());
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                MessageWriter.append(buf, BackendType.PARAMETER_STATUS,
                        b -> parameterStatusBody(b, parameter.getKey(), parameter.getValue()));
            }
            MessageWriter.append(buf, BackendType.BACKEND_KEY_DATA, b -> b.writeInt(processId).writeInt(secretKey));
            buf.writeBytes(READY_IDLE, READY_IDLE.readerIndex(), READY_IDLE.readableBytes());
            return buf;
        } catch (RuntimeException | Error e) {
            buf.release();
            throw e;
        }
    }

    public static ByteBuf backendKeyData(ByteBufAllocator alloc, int processId, int secretKey) {
        return MessageWriter.build(alloc, BackendType.BACKEND_KEY_DATA,
                buf -> buf.writeInt(processId).writeInt(secretKey));
    }

    /** Shared constant, one per status. */
    public static ByteBuf readyForQuery(TransactionStatus status) {
        switch (status) {
            case IDLE:
                return READY_IDLE.duplicate();
            case IN_TRANSACTION:
                return READY_IN_TRANSACTION.duplicate();
            default:
                return READY_FAILED.duplicate();
        }
    }

    public static ByteBuf negotiateProtocolVersion(ByteBufAllocator alloc, int newestMinorVersion,
                                                   List<String> unrecognizedOptions) {
        return MessageWriter.build(alloc, BackendType.NEGOTIATE_PROTOCOL_VERSION, buf -> {
            buf.writeInt(newestMinorVersion).writeInt(unrecognizedOptions.size());
            unrecognizedOptions.forEach(option -> MessageWriter.writeCString(buf, option));
        });
    }

    /**
     * RowDescription of text-format columns not tied to a table: table OID 0, attribute number 0, type length -1,
     * type modifier -1, format 0.
     */
    public static ByteBuf rowDescription(ByteBufAllocator alloc, List<String> columnNames, List<Integer> typeOids) {
        if (columnNames.size() != typeOids.size()) {
            throw new IllegalArgumentException(columnNames.size() + " column names but " + typeOids.size() + " types");
        }
        return MessageWriter.build(alloc, BackendType.ROW_DESCRIPTION, buf -> {
            buf.writeShort(columnNames.size());
            for (int i = 0; i < columnNames.size(); i++) {
                MessageWriter.writeCString(buf, columnNames.get(i));
                buf.writeInt(0).writeShort(0).writeInt(typeOids.get(i)).writeShort(-1).writeInt(-1).writeShort(0);
            }
        });
    }

    /** DataRow of text values; a null value is sent as SQL NULL (length -1). */
    public static ByteBuf dataRow(ByteBufAllocator alloc, List<String> values) {
        return MessageWriter.build(alloc, BackendType.DATA_ROW, buf -> {
            buf.writeShort(values.size());
            for (String value : values) {
                if (value == null) {
                    buf.writeInt(-1);
                } else {
                    int lengthIndex = buf.writerIndex();
                    buf.writeInt(0);
                    int written = ByteBufUtil.writeUtf8(buf, value);
                    buf.setInt(lengthIndex, written);
                }
            }
        });
    }

    public static ByteBuf commandComplete(ByteBufAllocator alloc, String tag) {
        return MessageWriter.build(alloc, BackendType.COMMAND_COMPLETE, buf -> MessageWriter.writeCString(buf, tag));
    }

    /** Shared constant. */
    public static ByteBuf emptyQueryResponse() {
        return EMPTY_QUERY_RESPONSE.duplicate();
    }

    /** Shared constant: the single byte 'N', the refusal answer to SSLRequest and GSSENCRequest. */
    public static ByteBuf sslRefused() {
        return SSL_REFUSED.duplicate();
    }

    /** The single byte {@code S} answering an SSLRequest: the TLS handshake follows. */
    public static ByteBuf sslAccepted() {
        return SSL_ACCEPTED.duplicate();
    }

    private static ByteBuf readyConstant(TransactionStatus status) {
        return MessageWriter.constant(MessageWriter.fixed(BackendType.READY_FOR_QUERY, status.code()));
    }
}
