// The GSSENCRequest startup packet.
package io.pgmux.protocol;

/** A GSSENCRequest: the client asks for GSSAPI encryption and waits for a single byte, 'G' or 'N' (refuse). */
public enum GssEncRequest implements StartupPacket {
    INSTANCE
}
