// Request codes and limits of the untyped startup-phase packets.
package io.pgmux.protocol;

/** The Int32 codes that follow the length in startup-phase packets, and the packet size limits PostgreSQL applies. */
public final class StartupCodes {
    /** Protocol version 3.0 as sent in a StartupMessage: major in the high 16 bits, minor in the low 16 bits. */
    public static final int PROTOCOL_3_0 = 3 << 16;
    public static final int CANCEL_REQUEST_CODE = 80877102;
    public static final int SSL_REQUEST_CODE = 80877103;
    public static final int GSSENC_REQUEST_CODE = 80877104;
    /** Shortest legal startup packet: length + code. */
    public static final int MIN_STARTUP_PACKET_LENGTH = 8;
    /** Longest startup packet accepted (PostgreSQL's MAX_STARTUP_PACKET_LENGTH). */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10000;
    /** Length of a protocol 3.0 CancelRequest: length, code, process id, secret key. */
    public static final int CANCEL_REQUEST_LENGTH = 16;

    private StartupCodes() {
    }
}
