// A client message too long for pgmux to read whole; the frame decoder drops its bytes and reports it.
package io.pgmux.protocol;

/**
 * Emitted by a client-side {@link MessageFrameDecoder} in place of a message that pgmux would have to read whole
 * (it is not one of the streamed types) but that is longer than the limit for such messages. The decoder discards
 * the message's bytes as they arrive and emits this once the last of them is read, so the stream stays in step and
 * the connection can go on: the receiver answers it, usually with {@link #error}.
 *
 * @param type   the message's type byte
 * @param length its length field (which counts itself but not the type byte)
 * @param limit  the largest length accepted for a message of this type
 */
public record OversizedMessage(byte type, int length, int limit) {

    /** PostgreSQL's answer to a value over one of its own limits: 54000 program_limit_exceeded. */
    public PgException error(Severity severity) {
        return new PgException(severity, SqlState.PROGRAM_LIMIT_EXCEEDED,
                FrontendType.name(type) + " message of " + length + " bytes exceeds max_parsed_message_length ("
                        + limit + " bytes)",
                null, "pgmux reads this message whole; send a shorter one (parameters of a Bind and COPY data"
                + " have no such limit), or raise max_parsed_message_length");
    }
}
