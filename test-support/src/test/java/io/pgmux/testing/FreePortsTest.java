// Checks that FreePorts hands out loopback ports that can actually be bound.
package io.pgmux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void returnedPortCanBeBoundOnLoopback() throws Exception {
        int port = FreePorts.find();

        assertThat(port).isBetween(1, 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
