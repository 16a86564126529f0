// The SSLRequest startup packet.
package io.pgmux.protocol;

/** An SSLRequest: the client asks to switch to TLS and waits for a single byte, 'S' (accept) or 'N' (refuse). */
public enum SslRequest implements StartupPacket {
    INSTANCE
}
