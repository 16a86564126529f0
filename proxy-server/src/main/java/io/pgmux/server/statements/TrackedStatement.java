// A client's named prepared statement and the name pgmux gives it on servers.
package io.pgmux.server.statements;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.Parse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A named prepared statement as a client created it (query text and parameter types) and the name it has on the
 * servers. The server-side name is derived from the text and the types alone, so every client that prepares the
 * same statement finds it under the same name on a server that has it, and two clients that use one name for
 * different SQL get different server-side names.
 *
 * <p>The name is a SHA-256 digest truncated to 128 bits: a collision would run one statement for another, and at
 * 2^-64 for four billion distinct statements it is far less likely than a hardware fault.
 */
record TrackedStatement(String serverName, byte[] serverNameBytes, String query, int[] parameterTypes) {
    /** Prefix of every server-side name; clients may not use it for names of their own. */
    static final String PREFIX = "pgmux_";

    static TrackedStatement of(Parse parse) {
        String name = PREFIX + HexFormat.of().formatHex(digest(parse), 0, 16);
        return new TrackedStatement(name, name.getBytes(StandardCharsets.US_ASCII), parse.query(),
                parse.parameterTypes());
    }

    /** A Parse that creates this statement on a server under its server-side name. */
    ByteBuf parseMessage(ByteBufAllocator alloc) {
        return FrontendMessages.parse(alloc, serverName, query, parameterTypes);
    }

    private static byte[] digest(Parse parse) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha.update(parse.query().getBytes(StandardCharsets.UTF_8));
        ByteBuffer types = ByteBuffer.allocate(1 + 4 * parse.parameterTypes().length);
        types.put((byte) 0); // ends the text, so text and types cannot run into each other
        for (int type : parse.parameterTypes()) {
            types.putInt(type);
        }
        sha.update(types.array());
        return sha.digest();
    }
}
