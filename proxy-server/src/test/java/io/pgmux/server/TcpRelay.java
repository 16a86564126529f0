package io.pgmux.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between pgmux and the test PostgreSQL, on a fixed 127.0.0.1 port, that can be stopped (listener
 * and every relayed connection closed: "the backend went away") and started again on the same port.
 */
final class TcpRelay implements AutoCloseable {
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** The first bytes each relayed connection's client sent (its first read), in the order they arrived. */
    private final List<byte[]> openings = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    TcpRelay(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    int port() {
        return port;
    }

    /** The first bytes (up to 8: enough for the startup packet's code) of every connection relayed so far. */
    List<byte[]> openings() {
        return List.copyOf(openings);
    }

    synchronized void start() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        listener = server;
        Thread acceptor = new Thread(() -> accept(server), "relay-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes the listener and every relayed connection. */
    synchronized void stop() {
        ServerSocket server = listener;
        listener = null;
        closeQuietly(server);
        sockets.forEach(TcpRelay::closeQuietly);
        sockets.clear();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(backend);
                pump(client, backend, true);
                pump(backend, client, false);
            } catch (IOException e) {
                return; // stopped
            }
        }
    }

    private void pump(Socket from, Socket to, boolean recordOpening) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                boolean first = recordOpening;
                while ((n = in.read(buffer)) >= 0) {
                    if (first) {
                        openings.add(Arrays.copyOf(buffer, Math.min(n, 8)));
                        first = false;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        stop();
    }
}
