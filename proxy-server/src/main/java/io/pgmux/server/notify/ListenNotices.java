// The NoticeResponse PostgreSQL sends when it truncates a LISTEN or UNLISTEN channel name.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.BackendType;

/**
 * PostgreSQL's NOTICE 42622 (name_too_long) for an identifier longer than 63 bytes, as its lexer sends it
 * (truncate_identifier in scansup.c): {@code identifier "long" will be truncated to "short"}, in the client's
 * encoding.
 */
final class ListenNotices {
    private static final String NAME_TOO_LONG = "42622";

    private ListenNotices() {
    }

    /** The NOTICE for {@code action}, whose {@link ListenAction#truncated} is set. */
    static ByteBuf truncated(ByteBufAllocator alloc, ClientText text, ListenAction action) {
        String message = "identifier \"" + action.truncated() + "\" will be truncated to \"" + action.channel() + "\"";
        byte[] encoded = text.toClient(message);
        ByteBuf notice = alloc.buffer(48 + encoded.length);
        notice.writeByte(BackendType.NOTICE_RESPONSE).writeInt(0);
        field(notice, 'S', "NOTICE");
        field(notice, 'V', "NOTICE");
        field(notice, 'C', NAME_TOO_LONG);
        notice.writeByte('M').writeBytes(encoded).writeByte(0);
        notice.writeByte(0);
        return notice.setInt(1, notice.writerIndex() - 1);
    }

    private static void field(ByteBuf notice, char code, String ascii) {
        notice.writeByte(code);
        for (int i = 0; i < ascii.length(); i++) {
            notice.writeByte(ascii.charAt(i));
        }
        notice.writeByte(0);
    }
}
