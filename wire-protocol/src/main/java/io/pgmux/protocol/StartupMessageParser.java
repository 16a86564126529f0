// Parses the body of a StartupMessage into parameters and protocol options.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses name\0value\0 ... \0 by PostgreSQL's rules: the terminator is the last byte, every name has a value. */
final class StartupMessageParser {
    /** Prefix of protocol options, which PostgreSQL reports as unrecognized in NegotiateProtocolVersion. */
    static final String PROTOCOL_OPTION_PREFIX = "_pq_.";
    private static final String LAYOUT_ERROR = "invalid startup packet layout: expected terminator as last byte";

    private StartupMessageParser() {
    }

    /** Parses {@code buf[bodyStart, end)}, the bytes after the version code. */
    static StartupMessage parse(int version, ByteBuf buf, int bodyStart, int end) {
        if (end == bodyStart || buf.getByte(end - 1) != 0) {
            throw new ProtocolException(LAYOUT_ERROR);
        }
        FrameReader reader = FrameReader.ofRange(buf, bodyStart, end - 1, "startup");
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> protocolOptions = new ArrayList<>();
        while (reader.remaining() > 0) {
            String name = readString(reader);
            if (name.isEmpty()) {
                // An empty name is the list terminator; PostgreSQL requires it to be the final byte.
                throw new ProtocolException(LAYOUT_ERROR);
            }
            String value = readString(reader);
            if (name.startsWith(PROTOCOL_OPTION_PREFIX)) {
                protocolOptions.add(name);
            } else {
                parameters.put(name, value);
            }
        }
        return new StartupMessage(version >>> 16, version & 0xFFFF, parameters, protocolOptions);
    }

    /**
     * Names and values are interned: a connected client keeps its startup parameters for as long as it stays, and
     * thousands of clients send the same few (user, database, client_encoding, DateStyle, application_name ...), so
     * one shared copy replaces one per client. The JVM's string table lets go of strings no client refers to.
     */
    private static String readString(FrameReader reader) {
        if (reader.remaining() == 0) {
            throw new ProtocolException(LAYOUT_ERROR);
        }
        try {
            return reader.readCString().intern();
        } catch (ProtocolException e) {
            throw new ProtocolException(LAYOUT_ERROR);
        }
    }
}
