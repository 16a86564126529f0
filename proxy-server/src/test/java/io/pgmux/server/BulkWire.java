package io.pgmux.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Large protocol messages over a {@link RawClient} without holding them in memory: rows and COPY data are counted as
 * they are read, and COPY input is generated as it is written. For tests of how much a proxy buffers.
 */
final class BulkWire {
    private static final int CHUNK = 64 * 1024;

    private BulkWire() {
    }

    /** What a simple query returned, its large values counted but not kept. */
    record Result(long rows, long valueBytes, long copyBytes, String commandTag) {
    }

    /**
     * Reads the answer to a query up to ReadyForQuery: DataRow values and CopyData bytes are counted and checked to
     * consist of {@code filler} (newlines apart), every other message is read whole.
     *
     * @throws AssertionError on an ErrorResponse, a byte other than {@code filler}, or the end of the stream
     */
    static Result readResult(RawClient client, byte filler) throws IOException {
        DataInputStream in = client.in;
        byte[] buffer = new byte[CHUNK];
        long rows = 0;
        long valueBytes = 0;
        long copyBytes = 0;
        String tag = null;
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new EOFException("connection closed before ReadyForQuery");
            }
            long length = in.readInt() - 4L;
            switch (type) {
                case 'D' -> {
                    rows++;
                    int columns = in.readUnsignedShort();
                    for (int c = 0; c < columns; c++) {
                        int size = in.readInt();
                        valueBytes += Math.max(size, 0);
                        consume(in, buffer, Math.max(size, 0), filler);
                    }
                }
                case 'd' -> {
                    copyBytes += length;
                    consume(in, buffer, length, filler);
                }
                default -> {
                    byte[] body = new byte[(int) length];
                    in.readFully(body);
                    RawClient.Message message = new RawClient.Message((char) type, body);
                    if (type == 'E') {
                        throw new AssertionError("error from the server: " + message.fields());
                    }
                    if (type == 'C') {
                        tag = new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
                    }
                    if (type == 'Z') {
                        return new Result(rows, valueBytes, copyBytes, tag);
                    }
                }
            }
        }
    }

    private static void consume(DataInputStream in, byte[] buffer, long length, byte filler) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException(left + " bytes of a message never arrived");
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] != filler && buffer[i] != '\n') {
                    throw new AssertionError("unexpected byte " + buffer[i] + " in a value of '" + (char) filler + "'");
                }
            }
            left -= n;
        }
    }

    /**
     * Sends {@code messages} CopyData messages of {@code linesPerMessage} lines of {@code lineLength} bytes each
     * (including the newline), all {@code filler}, generated as they are written, then CopyDone.
     */
    static void copyIn(RawClient client, int messages, int linesPerMessage, int lineLength, byte filler)
            throws IOException {
        byte[] line = new byte[lineLength];
        Arrays.fill(line, filler);
        line[lineLength - 1] = '\n';
        DataOutputStream out = client.out;
        for (int m = 0; m < messages; m++) {
            out.writeByte('d');
            out.writeInt(4 + linesPerMessage * lineLength);
            for (int l = 0; l < linesPerMessage; l++) {
                out.write(line);
            }
        }
        out.writeByte('c');
        out.writeInt(4);
        out.flush();
    }

    /** Reads up to a message of {@code type} and returns it; an ErrorResponse on the way fails. */
    static RawClient.Message expect(RawClient client, char type) throws IOException {
        RawClient.Message m;
        while ((m = client.read()) != null) {
            if (m.type() == 'E' && type != 'E') {
                throw new AssertionError("error from the server: " + m.fields());
            }
            if (m.type() == type) {
                return m;
            }
        }
        throw new EOFException("connection closed before message '" + type + "'");
    }
}
