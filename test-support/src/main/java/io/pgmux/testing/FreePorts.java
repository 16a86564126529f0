// Finds free loopback TCP ports for servers started by tests.
package io.pgmux.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out TCP ports that are free on 127.0.0.1 at the moment of the call.
 *
 * <p>The ports come from below the kernel's ephemeral range ({@code ip_local_port_range}), where the operating
 * system never puts the local end of an outgoing connection: a test that finds a port now and binds it later (a
 * server started in the middle of the test) would otherwise sometimes find it taken by one of its own client
 * sockets. Where the range cannot be read, the port is an ephemeral one.
 *
 * <p>Hazard: the port is released before it is returned, so another process may still grab it before the caller
 * binds it. Bind promptly, and prefer binding to port 0 where the code under test allows it.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /**
     * Returns a TCP port that was free on 127.0.0.1 just now.
     *
     * @throws UncheckedIOException if the operating system cannot provide a port
     */
    public static int find() {
        int below = ephemeralRangeStart();
        for (int attempt = 0; below - LOWEST > 1000 && attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (bindable(port)) {
                return port;
            }
        }
        return ephemeral();
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            // Without SO_REUSEADDR a port just closed here could linger in TIME_WAIT for the caller.
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }

    /** The first port of the kernel's ephemeral range, or 0 when it cannot be read. */
    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
