// The untyped packets a client sends before authentication (they carry no type byte).
package io.pgmux.protocol;

/**
 * A startup-phase packet as emitted by {@link StartupDecoder}. These packets have no type byte: each is an Int32 length
 * (including itself), an Int32 code and a body.
 */
public sealed interface StartupPacket permits StartupMessage, SslRequest, GssEncRequest, CancelRequest {
}
