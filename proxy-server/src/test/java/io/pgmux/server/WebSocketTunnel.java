package io.pgmux.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client's WebSocket to pgmux's websocket_listen, as a pair of streams for {@link RawClient}: what the client
 * writes goes out in binary frames cut as {@link Cut} says, what pgmux sends is read as one byte stream.
 */
final class WebSocketTunnel implements AutoCloseable {
    /** How the client cuts what it writes into frames. */
    enum Cut {
        /** Each write in one frame (several PostgreSQL messages merge when written together). */
        WHOLE,
        /** Every byte a frame of its own, each a complete WebSocket message. */
        EVERY_BYTE,
        /** Every byte a frame of its own, a write being one WebSocket message of continuation frames. */
        EVERY_BYTE_FRAGMENTED
    }

    private static final byte[] END = new byte[0];

    private final WebSocket socket;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    /** The close status pgmux sent, once it did. */
    final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    private final Cut cut;

    private WebSocketTunnel(URI uri, Cut cut) {
        this(uri, cut, HttpClient.newHttpClient());
    }

    private WebSocketTunnel(URI uri, Cut cut, HttpClient http) {
        this.cut = cut;
        this.socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Receiver())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Opens a WebSocket to {@code ws://127.0.0.1:port/path}. */
    static WebSocketTunnel open(int port, String path, Cut cut) {
        return new WebSocketTunnel(URI.create("ws://127.0.0.1:" + port + path), cut);
    }

    /** A raw PostgreSQL client speaking through a new WebSocket. */
    static RawClient client(int port, Cut cut) {
        WebSocketTunnel tunnel = open(port, "/v2?address=db.example:5432", cut);
        return new RawClient(tunnel.input(), tunnel.output(), tunnel);
    }

    /** A raw PostgreSQL client speaking through a new {@code wss://} WebSocket trusting {@code tls}. */
    static RawClient secureClient(int port, javax.net.ssl.SSLContext tls, Cut cut) {
        WebSocketTunnel tunnel = new WebSocketTunnel(URI.create("wss://127.0.0.1:" + port + "/v2"), cut,
                HttpClient.newBuilder().sslContext(tls).build());
        return new RawClient(tunnel.input(), tunnel.output(), tunnel);
    }

    InputStream input() {
        return new Input();
    }

    OutputStream output() {
        return new Output();
    }

    /** Sends one text frame (no PostgreSQL client would). */
    void sendText(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Receiver implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.add(bytes);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeStatus.complete(statusCode);
            received.add(END);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeStatus.completeExceptionally(error);
            received.add(END);
        }
    }

    private final class Input extends InputStream {
        private byte[] chunk = new byte[0];
        private int next;

        @Override
        public int read() throws IOException {
            while (next == chunk.length) {
                if (chunk == END) {
                    return -1;
                }
                try {
                    chunk = received.poll(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                if (chunk == null) {
                    chunk = new byte[0];
                    throw new SocketTimeoutException("nothing from pgmux within 10 s");
                }
                next = 0;
            }
            return chunk[next++] & 0xFF;
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (cut == Cut.WHOLE) {
                send(ByteBuffer.wrap(bytes.clone(), offset, length), true);
                return;
            }
            for (int i = 0; i < length; i++) {
                boolean last = cut == Cut.EVERY_BYTE || i == length - 1;
                send(ByteBuffer.wrap(new byte[] {bytes[offset + i]}), last);
            }
        }

        private void send(ByteBuffer frame, boolean last) throws IOException {
            try {
                socket.sendBinary(frame, last).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("WebSocket send failed", e);
            }
        }
    }
}
