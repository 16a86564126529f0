package io.pgmux.server.clients;

import java.security.MessageDigest;
import java.nio.ByteBuffer;

/** The BackendKeyData pgmux gives a client in place of the backend's real one. */
public record ClientKey(int processId, int secret) {
    /** Constant-time, so timing reveals nothing about the secret. */
    boolean matches(int candidate) {
        return MessageDigest.isEqual(ByteBuffer.allocate(4).putInt(secret).array(),
                ByteBuffer.allocate(4).putInt(candidate).array());
    }
}
