// The notifications one client is to receive: the channels it listens on and what waits for it to be idle.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One client's side of the fan-out: the channels whose LISTEN it committed, and the notifications held for it.
 * PostgreSQL sends a notification only while its session is outside a transaction and waiting for a command, so
 * pgmux holds them while the client is inside a transaction or has a request in flight ({@code idle} says when it
 * is not), and while its socket does not take more; they go out in the order the hub received them.
 *
 * <p>Bound: at most {@code limit} messages are held. One more ends the connection with FATAL 53400
 * (configuration_limit_exceeded): a client that does not read cannot make pgmux grow without bound, and a client
 * that silently lost notifications could not know it.
 *
 * <p>Threading: confined to the client's loop; the hub hands notifications over with {@link #offer}, from its own.
 */
final class NotificationInbox {
    private final ChannelHandlerContext ctx;
    private final int limit;
    private final BooleanSupplier idle;
    private final Consumer<PgException> overflow;
    private final NotifyFigures figures;
    /** The client's encoding, which PostgreSQL converts a notification to when it sends it. */
    private final Supplier<ClientText> text;
    /** The shared empty set until the first LISTEN (see ClientListens: most clients never listen). */
    private Set<String> listening = Collections.emptySet();
    /** Made at the first notification held: null for the clients that never listen. */
    private ArrayDeque<ByteBuf> held;
    private boolean closed;

    /**
     * @param idle     whether the client may be sent a notification now: outside a transaction, nothing in flight
     * @param overflow ends the client's connection with the error given
     */
    NotificationInbox(ChannelHandlerContext ctx, int limit, BooleanSupplier idle, Consumer<PgException> overflow,
                      NotifyFigures figures, Supplier<ClientText> text) {
        this.ctx = ctx;
        this.text = text;
        this.limit = limit;
        this.idle = idle;
        this.overflow = overflow;
        this.figures = figures;
    }

    /** The channel named in a NotificationResponse: process id, channel, payload. */
    static String channelOf(ByteBuf notification) {
        int start = Frames.bodyStart(notification) + 4;
        int end = notification.indexOf(start, Frames.bodyStart(notification) + Frames.bodyLength(notification),
                (byte) 0);
        return end < 0 ? "" : notification.toString(start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * Notifications from the hub, in order, on any loop; takes ownership of them.
     *
     * @param notifications channel name, then the NotificationResponse, for each
     */
    void offer(List<Object> notifications) {
        ctx.executor().execute(() -> {
            for (int i = 0; i < notifications.size(); i += 2) {
                receive((String) notifications.get(i), (ByteBuf) notifications.get(i + 1));
            }
            deliverIfIdle();
        });
    }

    /** The listening connection was lost, on any loop: a client that listens is warned. */
    void listenerLost() {
        ctx.executor().execute(() -> {
            if (!listening.isEmpty()) {
                warn("pgmux: the connection listening for notifications was lost and has been replaced;"
                        + " notifications sent in between may have been missed");
            }
        });
    }

    /** Sends the client a WARNING, in order with its notifications; on the client's loop. */
    void warn(String message) {
        if (!closed) {
            hold(BackendMessages.noticeResponse(ctx.alloc(), Severity.WARNING, SqlState.WARNING, message));
        }
    }

    boolean listensOn(String channel) {
        return listening.contains(channel);
    }

    /** Channels the client committed a LISTEN to. */
    Set<String> listening() {
        return listening;
    }

    /** A committed LISTEN, UNLISTEN or UNLISTEN *. */
    void apply(ListenAction action) {
        boolean was = !listening.isEmpty();
        switch (action.kind()) {
            case LISTEN -> {
                if (listening.isEmpty()) {
                    listening = new HashSet<>();
                }
                listening.add(action.channel());
            }
            case UNLISTEN -> listening.remove(action.channel());
            case UNLISTEN_ALL -> listening.clear();
        }
        if (was != !listening.isEmpty()) {
            figures.listening(!was);
        }
    }

    private void receive(String channel, ByteBuf notification) {
        if (closed || !listening.contains(channel)) {
            notification.release(); // the client left, or has not committed its LISTEN (or has UNLISTENed)
            return;
        }
        held().add(notification);
        checkLimit();
    }

    private void hold(ByteBuf message) {
        held().add(message);
        checkLimit();
        deliverIfIdle();
    }

    private ArrayDeque<ByteBuf> held() {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        return held;
    }

    private void checkLimit() {
        if (held.size() > limit) {
            int count = held.size();
            closed = true;
            release();
            figures.countDropped(count);
            overflow.accept(new PgException(Severity.FATAL, SqlState.CONFIGURATION_LIMIT_EXCEEDED,
                    "pgmux: more than " + limit + " notifications queued for this client (pool.max_queued_notifications);"
                            + " the client is not reading them"));
        }
    }

    /** Writes what is held, while the client is idle and its socket takes more. */
    void deliverIfIdle() {
        if (held == null || held.isEmpty() || closed || !idle.getAsBoolean()) {
            return;
        }
        int wrote = 0;
        Charset encoding = null; // looked up for the first notification that is not plain ASCII
        while (!held.isEmpty() && ctx.channel().isWritable()) {
            ByteBuf message = held.poll();
            if (encoding == null && !isAscii(message)) {
                encoding = text.get().client();
            }
            ctx.write(encoding == null ? message : inClientEncoding(message, encoding), ctx.voidPromise());
            wrote++;
        }
        if (wrote > 0) {
            figures.countDelivered(wrote);
            ctx.flush();
        }
    }

    private static boolean isAscii(ByteBuf message) {
        int end = message.writerIndex();
        for (int i = message.readerIndex() + 9; i < end; i++) { // after the type, length and sender pid
            if (message.getByte(i) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code message} as PostgreSQL would send it to this client: a notification's channel and payload converted
     * from the listening connection's UTF-8 to the client's encoding (characters it lacks become '?'; PostgreSQL
     * would refuse to send them). Only a client of another, known encoding pays for it.
     */
    private ByteBuf inClientEncoding(ByteBuf message, Charset encoding) {
        if (encoding == null || encoding.equals(StandardCharsets.UTF_8)
                || Frames.type(message) != BackendType.NOTIFICATION_RESPONSE) {
            return message;
        }
        int start = Frames.bodyStart(message);
        int end = start + Frames.bodyLength(message);
        int channelEnd = message.indexOf(start + 4, end, (byte) 0);
        int payloadEnd = channelEnd < 0 ? -1 : message.indexOf(channelEnd + 1, end, (byte) 0);
        if (payloadEnd < 0) {
            return message;
        }
        byte[] channel = message.toString(start + 4, channelEnd - start - 4, StandardCharsets.UTF_8)
                .getBytes(encoding);
        byte[] payload = message.toString(channelEnd + 1, payloadEnd - channelEnd - 1, StandardCharsets.UTF_8)
                .getBytes(encoding);
        ByteBuf converted = ctx.alloc().buffer(11 + channel.length + payload.length)
                .writeByte(BackendType.NOTIFICATION_RESPONSE).writeInt(10 + channel.length + payload.length)
                .writeInt(message.getInt(start)).writeBytes(channel).writeByte(0).writeBytes(payload).writeByte(0);
        message.release();
        return converted;
    }

    /** The client left: what is held is released, and later notifications are. */
    void close() {
        closed = true;
        release();
        if (!listening.isEmpty()) {
            figures.listening(false);
        }
    }

    private void release() {
        if (held == null) {
            return;
        }
        ByteBuf message;
        while ((message = held.poll()) != null) {
            message.release();
        }
    }
}
