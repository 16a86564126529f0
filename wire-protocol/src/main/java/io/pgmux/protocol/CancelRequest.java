// The CancelRequest startup packet.
package io.pgmux.protocol;

/**
 * A CancelRequest sent on a fresh connection: cancel whatever the session identified by BackendKeyData is running.
 * The server never answers it; the connection is simply closed. The secret key is a credential: do not log it.
 */
public record CancelRequest(int processId, int secretKey) implements StartupPacket {
    @Override
    public String toString() {
        return "CancelRequest[processId=" + processId + "]";
    }
}
