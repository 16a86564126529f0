// The Authentication ('R') request a server sends during login.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Authentication message: {@code code} selects the request, {@code data} is the rest of the body (empty for codes
 * without data; 4-byte salt for MD5; the raw mechanism list for SASL; the server's SASL payload for SASL_CONTINUE and
 * SASL_FINAL). Unknown codes are returned with their raw data so the caller can refuse them.
 *
 * <p>{@code data} is a mutable array owned by the record; it may contain authentication material, so toString omits it.
 */
public record Authentication(int code, byte[] data) {
    public static final int OK = 0;
    public static final int KERBEROS_V5 = 2;
    public static final int CLEARTEXT_PASSWORD = 3;
    public static final int MD5_PASSWORD = 5;
    public static final int GSS = 7;
    public static final int GSS_CONTINUE = 8;
    public static final int SSPI = 9;
    public static final int SASL = 10;
    public static final int SASL_CONTINUE = 11;
    public static final int SASL_FINAL = 12;

    /** Reads a whole 'R' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static Authentication decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, BackendType.AUTHENTICATION, "Authentication");
        int code = reader.readInt32();
        byte[] data = reader.readRemaining();
        Authentication authentication = new Authentication(code, data);
        authentication.validate();
        return authentication;
    }

    private void validate() {
        switch (code) {
            case OK: case KERBEROS_V5: case CLEARTEXT_PASSWORD: case GSS: case SSPI:
                requireDataLength(0);
                break;
            case MD5_PASSWORD:
                requireDataLength(4);
                break;
            case SASL:
                parseMechanisms();
                break;
            default:
                break;
        }
    }

    private void requireDataLength(int expected) {
        if (data.length != expected) {
            throw new ProtocolException("invalid Authentication message format for request code " + code);
        }
    }

    /** The SASL mechanism names offered, in server order. Only valid for code {@link #SASL}. */
    public List<String> saslMechanisms() {
        if (code != SASL) {
            throw new IllegalStateException("not an AuthenticationSASL message: code " + code);
        }
        return parseMechanisms();
    }

    private List<String> parseMechanisms() {
        // A heap wrapper needs no release: it owns no pooled memory and is not leak-tracked.
        ByteBuf body = Unpooled.wrappedBuffer(data);
        FrameReader reader = FrameReader.ofRange(body, 0, data.length, "AuthenticationSASL");
        List<String> mechanisms = new ArrayList<>();
        for (String name = reader.readCString(); !name.isEmpty(); name = reader.readCString()) {
            mechanisms.add(name);
        }
        reader.expectEnd();
        return List.copyOf(mechanisms);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Authentication
                && code == ((Authentication) other).code && Arrays.equals(data, ((Authentication) other).data);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Authentication[code=" + code + ", data=" + data.length + " bytes]";
    }
}
