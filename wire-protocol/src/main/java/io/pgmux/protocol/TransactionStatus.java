// The transaction status a ReadyForQuery message reports.
package io.pgmux.protocol;

/** The backend transaction status carried by ReadyForQuery; the proxy may only reuse a server connection when IDLE. */
public enum TransactionStatus {
    IDLE('I'), IN_TRANSACTION('T'), FAILED('E');

    private final byte code;

    TransactionStatus(char code) {
        this.code = (byte) code;
    }

    /** The status byte on the wire. */
    public byte code() {
        return code;
    }

    /** The status for a wire byte; any other byte is a {@link ProtocolException}. */
    public static TransactionStatus of(byte code) {
        switch (code) {
            case 'I':
                return IDLE;
            case 'T':
                return IN_TRANSACTION;
            case 'E':
                return FAILED;
            default:
                throw new ProtocolException("invalid transaction status " + (code & 0xFF) + " in ReadyForQuery");
        }
    }
}
