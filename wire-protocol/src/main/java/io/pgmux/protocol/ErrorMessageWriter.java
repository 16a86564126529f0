// Encodes ErrorResponse and NoticeResponse messages.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Writes the field list of an ErrorResponse / NoticeResponse; never fails on odd text, because it reports failures. */
final class ErrorMessageWriter {
    private ErrorMessageWriter() {
    }

    static ByteBuf write(ByteBufAllocator alloc, byte type, Severity severity, String sqlState, String message,
                         String detail, String hint) {
        return MessageWriter.build(alloc, type, buf -> {
            writeField(buf, 'S', severity.name());
            writeField(buf, 'V', severity.name());
            writeField(buf, 'C', sqlState);
            writeField(buf, 'M', message);
            writeField(buf, 'D', detail);
            writeField(buf, 'H', hint);
            buf.writeByte(0);
        });
    }

    private static void writeField(ByteBuf buf, char code, String value) {
        if (value == null) {
            return;
        }
        buf.writeByte(code);
        // A NUL would terminate the field early and desynchronise the client's parser.
        MessageWriter.writeCString(buf, value.replace('\0', ' '));
    }
}
