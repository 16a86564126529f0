// Finds free loopback TCP ports for servers started by tests.
package io.pgmux.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Hands out TCP ports that are free on 127.0.0.1 at the moment of the call.
 *
 * <p>Hazard: the port is released before it is returned, so another process may grab it before the
 * caller binds it. Bind promptly, and prefer binding to port 0 where the code under test allows it.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns a TCP port that was free on 127.0.0.1 just now.
     *
     * @throws UncheckedIOException if the operating system cannot provide an ephemeral port
     */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // Without SO_REUSEADDR a port just closed here could linger in TIME_WAIT for the caller.
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }
}
