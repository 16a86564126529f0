// LISTEN/NOTIFY fan-out benchmark client: many listening connections through a proxy, notifications sent straight to
// PostgreSQL at a fixed rate, delivery latency measured per notification. Standard library only; run it with
// `java ListenBench.java ...` (see listen_fanout.sh, which starts PostgreSQL and pgmux around it).

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Arguments: proxyPort pgPort user database listeners ratePerSecond seconds. Listeners log in to the proxy with trust
 * authentication and LISTEN on one channel; a sender connects to PostgreSQL directly (user postgres, trust) and runs
 * {@code NOTIFY bench_fanout, '<System.nanoTime()>'} at the given rate. One thread reads every listener with a
 * selector and records, for each notification, now minus the time in its payload, to a histogram with 1 µs buckets
 * up to 1 s and 1 ms buckets above. Prints one line of key=value figures.
 */
public final class ListenBench {
    private static final String CHANNEL = "bench_fanout";
    private static final long[] MICROS = new long[1_000_000];
    private static final long[] MILLIS = new long[600_000];
    private static long delivered;
    private static long errors;
    private static long notices;

    public static void main(String[] args) throws Exception {
        int proxyPort = Integer.parseInt(args[0]);
        int pgPort = Integer.parseInt(args[1]);
        String user = args[2];
        String database = args[3];
        int listeners = Integer.parseInt(args[4]);
        int rate = Integer.parseInt(args[5]);
        int seconds = Integer.parseInt(args[6]);

        Selector selector = Selector.open();
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", proxyPort));
            channel.socket().setTcpNoDelay(true);
            // Unbuffered streams over the channel: nothing past the ReadyForQuery is read before the selector runs.
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            startup(out, user, database);
            readUntilReady(in);
            query(out, "LISTEN " + CHANNEL);
            readUntilReady(in);
            channels.add(channel);
        }
        System.err.println("listeners ready: " + listeners);
        AtomicLong sent = new AtomicLong();
        Thread sender = new Thread(() -> send(pgPort, database, rate, seconds, sent), "sender");
        sender.start();
        read(selector, channels, sender, (long) rate * seconds * listeners);
        sender.join();
        long fewest = Long.MAX_VALUE;
        long most = 0;
        for (SelectionKey key : selector.keys()) {
            long received = ((Framer) key.attachment()).received;
            fewest = Math.min(fewest, received);
            most = Math.max(most, received);
        }
        long expected = sent.get() * listeners;
        System.out.printf("listeners=%d rate=%d seconds=%d sent=%d expected=%d delivered=%d p50_us=%d p99_us=%d"
                        + " max_us=%d errors=%d notices=%d per_listener_min=%d per_listener_max=%d%n", listeners, rate,
                seconds, sent.get(), expected, delivered, percentile(0.50), percentile(0.99), percentile(1.0), errors,
                notices, fewest, most);
    }

    private static void send(int pgPort, String database, int rate, int seconds, AtomicLong sent) {
        try (Socket socket = new Socket("127.0.0.1", pgPort)) {
            socket.setTcpNoDelay(true); // each NOTIFY goes out at once, not after the previous one's ACK
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            startup(out, "postgres", database);
            readUntilReady(in);
            long start = System.nanoTime();
            long total = (long) rate * seconds;
            for (long n = 0; n < total; n++) {
                long due = start + n * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                query(out, "NOTIFY " + CHANNEL + ", '" + System.nanoTime() + "'");
                readUntilReady(in);
                sent.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads every listener until all {@code expected} notifications arrived, or 10 s after the sender finished:
     * NotificationResponses are timed, everything else counted.
     */
    private static void read(Selector selector, List<SocketChannel> channels, Thread sender, long expected)
            throws IOException {
        for (SocketChannel channel : channels) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Framer());
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        long end = Long.MAX_VALUE;
        while (delivered < expected && System.nanoTime() < end) {
            if (end == Long.MAX_VALUE && !sender.isAlive()) {
                end = System.nanoTime() + 10_000_000_000L;
            }
            if (selector.select(200) == 0) {
                continue;
            }
            for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey key = it.next();
                it.remove();
                buffer.clear();
                int n = ((SocketChannel) key.channel()).read(buffer);
                if (n < 0) {
                    key.cancel();
                    continue;
                }
                buffer.flip();
                ((Framer) key.attachment()).feed(buffer);
            }
        }
    }

    /** Splits one connection's bytes into messages, across reads. */
    private static final class Framer {
        private final ByteBuffer partial = ByteBuffer.allocate(512 * 1024);
        long received;

        void feed(ByteBuffer bytes) {
            partial.put(bytes);
            partial.flip();
            while (partial.remaining() >= 5) {
                int length = partial.getInt(partial.position() + 1);
                if (partial.remaining() < length + 1) {
                    break;
                }
                byte type = partial.get(partial.position());
                if (type == 'A') {
                    received++;
                    timed(partial, partial.position() + 5, partial.position() + 1 + length);
                } else if (type == 'E') {
                    errors++;
                } else if (type == 'N') {
                    notices++;
                }
                partial.position(partial.position() + 1 + length);
            }
            partial.compact();
        }
    }

    /** A NotificationResponse body in [from, to): pid, channel, payload (the send time). */
    private static void timed(ByteBuffer message, int from, int to) {
        long now = System.nanoTime();
        int i = from + 4;
        while (message.get(i) != 0) {
            i++;
        }
        long sentAt = 0;
        for (int j = i + 1; j < to - 1; j++) {
            sentAt = sentAt * 10 + (message.get(j) - '0');
        }
        long micros = Math.max(0, (now - sentAt) / 1000);
        if (micros < MICROS.length) {
            MICROS[(int) micros]++;
        } else {
            MILLIS[(int) Math.min(MILLIS.length - 1, micros / 1000)]++;
        }
        delivered++;
    }

    private static long percentile(double p) {
        long rank = Math.max(1, (long) Math.ceil(p * delivered));
        long seen = 0;
        for (int i = 0; i < MICROS.length; i++) {
            seen += MICROS[i];
            if (seen >= rank) {
                return i;
            }
        }
        for (int i = 0; i < MILLIS.length; i++) {
            seen += MILLIS[i];
            if (seen >= rank) {
                return i * 1000L;
            }
        }
        return -1;
    }

    private static void startup(DataOutputStream out, String user, String database) throws IOException {
        byte[] body = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        out.writeInt(8 + body.length);
        out.writeInt(196608);
        out.write(body);
        out.flush();
    }

    /** One Query message in one write. */
    private static void query(DataOutputStream out, String sql) throws IOException {
        byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
        out.write(ByteBuffer.allocate(5 + text.length).put((byte) 'Q').putInt(4 + text.length).put(text).array());
        out.flush();
    }

    /** Reads to the next ReadyForQuery; fails on an ErrorResponse or an authentication request other than Ok. */
    private static void readUntilReady(DataInputStream in) throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'Z') {
                return;
            }
            if (type == 'E') {
                throw new IOException("server error: " + new String(body, StandardCharsets.UTF_8));
            }
            if (type == 'R' && ByteBuffer.wrap(body).getInt() != 0) {
                throw new IOException("authentication other than trust requested");
            }
        }
    }
}
