// Encoders for the messages the proxy sends to PostgreSQL servers as a client (frontend direction).
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Map;

/**
 * Messages the proxy sends TO POSTGRESQL. Each method returns a new ByteBuf the caller owns (normally by writing it to
 * a channel, which releases it), except the shared constants, which are unreleasable read-only buffers handed out as
 * {@code duplicate()}. Strings are UTF-8; a string containing NUL is rejected with IllegalArgumentException.
 */
public final class FrontendMessages {
    private static final ByteBuf SYNC = MessageWriter.constant(MessageWriter.fixed(FrontendType.SYNC));
    private static final ByteBuf FLUSH = MessageWriter.constant(MessageWriter.fixed(FrontendType.FLUSH));
    private static final ByteBuf TERMINATE = MessageWriter.constant(MessageWriter.fixed(FrontendType.TERMINATE));

    private FrontendMessages() {
    }

    /** StartupMessage for protocol 3.0 with the parameters in iteration order. */
    public static ByteBuf startupMessage(ByteBufAllocator alloc, Map<String, String> parameters) {
        return MessageWriter.build(alloc, MessageWriter.UNTYPED, buf -> {
            buf.writeInt(StartupCodes.PROTOCOL_3_0);
            parameters.forEach((name, value) -> {
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty startup parameter name would end the list");
                }
                MessageWriter.writeCString(buf, name);
                MessageWriter.writeCString(buf, value);
            });
            buf.writeByte(0);
        });
    }

    public static ByteBuf cancelRequest(ByteBufAllocator alloc, int processId, int secretKey) {
        return MessageWriter.build(alloc, MessageWriter.UNTYPED,
                buf -> buf.writeInt(StartupCodes.CANCEL_REQUEST_CODE).writeInt(processId).writeInt(secretKey));
    }

    /** PasswordMessage carrying a cleartext password or an "md5..." hash. */
    public static ByteBuf passwordMessage(ByteBufAllocator alloc, String password) {
        return MessageWriter.build(alloc, FrontendType.PASSWORD_MESSAGE,
                buf -> MessageWriter.writeCString(buf, password));
    }

    /** SASLInitialResponse; a null {@code data} is sent as length -1 (no initial response). */
    public static ByteBuf saslInitialResponse(ByteBufAllocator alloc, String mechanism, byte[] data) {
        return MessageWriter.build(alloc, FrontendType.PASSWORD_MESSAGE, buf -> {
            MessageWriter.writeCString(buf, mechanism);
            if (data == null) {
                buf.writeInt(-1);
            } else {
                buf.writeInt(data.length).writeBytes(data);
            }
        });
    }

    public static ByteBuf saslResponse(ByteBufAllocator alloc, byte[] data) {
        return MessageWriter.build(alloc, FrontendType.PASSWORD_MESSAGE, buf -> buf.writeBytes(data));
    }

    public static ByteBuf query(ByteBufAllocator alloc, String sql) {
        return MessageWriter.build(alloc, FrontendType.QUERY, buf -> MessageWriter.writeCString(buf, sql));
    }

    public static ByteBuf parse(ByteBufAllocator alloc, String statementName, String query, int[] parameterTypes) {
        if (parameterTypes.length > 0xFFFF) {
            throw new IllegalArgumentException("too many parameter types: " + parameterTypes.length);
        }
        return MessageWriter.build(alloc, FrontendType.PARSE, buf -> {
            MessageWriter.writeCString(buf, statementName);
            MessageWriter.writeCString(buf, query);
            buf.writeShort(parameterTypes.length);
            for (int type : parameterTypes) {
                buf.writeInt(type);
            }
        });
    }

    /** Close of a prepared statement ({@link Close#STATEMENT}) or portal ({@link Close#PORTAL}). */
    public static ByteBuf close(ByteBufAllocator alloc, byte kind, String name) {
        return MessageWriter.build(alloc, FrontendType.CLOSE, buf -> {
            buf.writeByte(kind);
            MessageWriter.writeCString(buf, name);
        });
    }

    /** Bind of {@code statementName} to {@code portalName} with no parameters and default result formats. */
    public static ByteBuf bind(ByteBufAllocator alloc, String portalName, String statementName) {
        return MessageWriter.build(alloc, FrontendType.BIND, buf -> {
            MessageWriter.writeCString(buf, portalName);
            MessageWriter.writeCString(buf, statementName);
            buf.writeShort(0).writeShort(0).writeShort(0);
        });
    }

    /** Shared constant. */
    public static ByteBuf sync() {
        return SYNC.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf flush() {
        return FLUSH.duplicate();
    }

    /** Shared constant. */
    public static ByteBuf terminate() {
        return TERMINATE.duplicate();
    }
}
