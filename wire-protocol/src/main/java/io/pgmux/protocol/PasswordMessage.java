// Reads the password out of a PasswordMessage ('p').
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

/**
 * PasswordMessage, SASLInitialResponse and SASLResponse all use type 'p'; which one it is depends on the auth state.
 * Use this class only after requesting a cleartext or MD5 password.
 */
public final class PasswordMessage {
    private PasswordMessage() {
    }

    /** The password (or "md5..." hash) of a whole 'p' frame, without moving its indexes. Do not log it. */
    public static String password(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.PASSWORD_MESSAGE, "PasswordMessage");
        String password = reader.readCString();
        reader.expectEnd();
        return password;
    }
}
