// The one listening server connection of a pool, subscribed to the union of its clients' channels.
package io.pgmux.server.notify;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgmux.pool.Pool;
import io.pgmux.pool.PoolAdmin;
import io.pgmux.pool.Route;
import io.pgmux.pool.ServerConnection;
import io.pgmux.pool.ServerListener;
import io.pgmux.protocol.BackendType;
import io.pgmux.protocol.ErrorFields;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening server connection of one pool (database, login user) under {@code pool.listen: fan-out}: it is
 * acquired from the pool like any backend, so it counts against the pool's size and the shared budgets, and is kept
 * while any client has an interest in a channel. It LISTENs on the union of those channels and hands every
 * NotificationResponse, unchanged, to each interested client's {@link NotificationInbox}, which keeps only those of
 * channels its client has committed a LISTEN to.
 *
 * <p>A client registers its interest before it is told its LISTEN succeeded ({@link #subscribe}): the future
 * completes once PostgreSQL confirmed the channel's LISTEN on this connection, so no notification committed after
 * the client's LISTEN is missed. When the connection is lost, every interested inbox is warned (PostgreSQL cannot
 * replay what was sent meanwhile) and another is opened and subscribed again.
 *
 * <p>Threading: every field but {@link #confirmed} is confined to {@link #loop}; clients call in from their own
 * loops and are handed over with {@code execute}. Notifications reach each inbox on the inbox's loop, in the order
 * PostgreSQL sent them.
 */
public final class NotifyHub implements ServerListener {
    private static final Logger log = LoggerFactory.getLogger(NotifyHub.class);
    /** How long to wait before opening a listening connection again after the pool refused one. */
    private static final long REOPEN_DELAY_MILLIS = 1000;

    /** A LISTEN or UNLISTEN sent to the listening connection and not yet answered by its ReadyForQuery. */
    private static final class Command {
        final String channel;
        final boolean listen;
        PgException error;

        Command(String channel, boolean listen) {
            this.channel = channel;
            this.listen = listen;
        }
    }

    private final Pool pool;
    private final EventLoop loop;
    private final Route route;
    private final NotifyFigures figures;
    /** Channel to the inboxes interested in it; a channel is here exactly while the connection should LISTEN. */
    private final Map<String, Set<NotificationInbox>> interest = new HashMap<>();
    /** Channels whose LISTEN PostgreSQL confirmed on the current connection; read by any loop for figures. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Promise<Void>>> waiting = new HashMap<>();
    private final ArrayDeque<Command> inFlight = new ArrayDeque<>();
    /**
     * Notifications of the current read batch, by inbox: each inbox gets them in one task at the end of the batch,
     * and writes and flushes them at once (one wake-up and one flush per client per batch, not per notification).
     * Each list alternates channel name and notification, so that no client decodes the channel again.
     */
    private final Map<NotificationInbox, List<Object>> batch = new HashMap<>();
    /** Written on {@link #loop} only; volatile for the admin console, which asks which backend listens. */
    private volatile ServerConnection server;
    private boolean opening;
    /** The periodic check for a listening connection the pool wants closed runs (from the first open on). */
    private boolean checking;

    NotifyHub(Pool pool, EventLoop loop, NotifyFigures figures) {
        this.pool = pool;
        this.loop = loop;
        this.figures = figures;
        this.route = new Route(this, loop);
    }

    /**
     * Registers {@code inbox}'s interest in {@code channel}. Called from any loop.
     *
     * @return completes (on the hub's loop) once the listening connection LISTENs on the channel; fails when no
     *         listening connection could be had or PostgreSQL refused the LISTEN
     */
    Future<Void> subscribe(String channel, NotificationInbox inbox) {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> register(channel, inbox, done));
        return done;
    }

    /** Withdraws {@code inbox}'s interest in {@code channel}. Called from any loop. */
    void unsubscribe(String channel, NotificationInbox inbox) {
        loop.execute(() -> withdraw(channel, inbox));
    }

    /** Whether {@code s} is this hub's listening connection. */
    boolean listensOn(ServerConnection s) {
        return s == server;
    }

    /** Channels the listening connection LISTENs on now. */
    int channels() {
        return confirmed.size();
    }

    private void register(String channel, NotificationInbox inbox, Promise<Void> done) {
        Set<NotificationInbox> inboxes = interest.computeIfAbsent(channel, k -> new HashSet<>());
        boolean first = inboxes.isEmpty();
        inboxes.add(inbox);
        if (confirmed.contains(channel)) {
            done.trySuccess(null);
            return;
        }
        waiting.computeIfAbsent(channel, k -> new ArrayList<>()).add(done);
        if (first) {
            send(channel, true);
        }
    }

    private void withdraw(String channel, NotificationInbox inbox) {
        Set<NotificationInbox> inboxes = interest.get(channel);
        if (inboxes == null || !inboxes.remove(inbox) || !inboxes.isEmpty()) {
            return;
        }
        interest.remove(channel);
        confirmed.remove(channel);
        List<Promise<Void>> unwanted = waiting.remove(channel);
        if (unwanted != null) {
            unwanted.forEach(p -> p.trySuccess(null)); // nobody waits for this LISTEN any more: let them go
        }
        if (interest.isEmpty()) {
            close(); // nobody listens any more: the backend goes back to the pool's budget
        } else {
            send(channel, false);
        }
    }

    private void send(String channel, boolean listen) {
        if (server == null) {
            open();
            return; // the new connection LISTENs on every channel of interest
        }
        inFlight.add(new Command(channel, listen));
        String sql = (listen ? "LISTEN " : "UNLISTEN ") + ListenStatements.quoted(channel);
        server.write(FrontendMessages.query(server.channel().alloc(), sql));
        server.flush();
    }

    private void open() {
        if (opening || server != null) {
            return;
        }
        opening = true;
        pool.acquire(loop).addListener((Future<ServerConnection> f) -> opened(f));
    }

    private void opened(Future<ServerConnection> acquired) {
        opening = false;
        if (!acquired.isSuccess()) {
            PgException error = new PgException(Severity.ERROR, SqlState.CONNECTION_FAILURE,
                    "pgmux: no server connection to listen on in pool " + pool.key() + ": "
                            + acquired.cause().getMessage());
            failWaiters(waiting.keySet(), error);
            if (!interest.isEmpty()) {
                loop.schedule(this::open, REOPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        ServerConnection s = acquired.getNow();
        if (interest.isEmpty()) {
            pool.release(s, false); // every client left while it was logging in
            return;
        }
        server = s;
        s.attach(route);
        if (!checking) {
            checking = true;
            loop.scheduleWithFixedDelay(this::replaceIfRetired, 1, 1, TimeUnit.SECONDS);
        }
        log.info("{} listens for pool {} on {} channel(s)", s, pool.key(), interest.size());
        // Channel names go out, and notifications come in, as UTF-8 (a backend lent before may have had another
        // client_encoding, and a pool may log in with one): clients of other encodings are converted for. A Query
        // of its own, since PostgreSQL decodes a whole Query before it runs any of it.
        inFlight.add(new Command("", false));
        s.write(FrontendMessages.query(s.channel().alloc(), "SET client_encoding = 'UTF8'"));
        for (String channel : interest.keySet()) {
            inFlight.add(new Command(channel, true));
            s.write(FrontendMessages.query(s.channel().alloc(), "LISTEN " + ListenStatements.quoted(channel)));
        }
        s.flush();
    }

    private void close() {
        ServerConnection s = server;
        server = null;
        inFlight.clear();
        confirmed.clear();
        if (s != null) {
            log.info("{} stops listening for pool {}: no channel left", s, pool.key());
            pool.discard(s); // it LISTENed: never lent to a client
        }
    }

    @Override
    public void onServerFrame(ServerConnection s, ByteBuf frame) {
        try {
            if (s != server) {
                return;
            }
            byte type = Frames.type(frame);
            if (type == BackendType.NOTIFICATION_RESPONSE) {
                fanOut(frame);
            } else if (type == BackendType.ERROR_RESPONSE && !inFlight.isEmpty()) {
                inFlight.peek().error = ErrorFields.decode(frame).toPgException();
            } else if (type == BackendType.READY_FOR_QUERY && !inFlight.isEmpty()) {
                answered(inFlight.poll());
            }
        } finally {
            frame.release();
        }
    }

    private void fanOut(ByteBuf notification) {
        String channel = NotificationInbox.channelOf(notification);
        Set<NotificationInbox> inboxes = interest.get(channel);
        if (inboxes == null) {
            return; // a channel unsubscribed a moment ago
        }
        figures.countReceived();
        for (NotificationInbox inbox : inboxes) {
            List<Object> pending = batch.computeIfAbsent(inbox, k -> new ArrayList<>(4));
            pending.add(channel);
            pending.add(notification.retainedDuplicate());
        }
    }

    @Override
    public void onServerReadComplete(ServerConnection s) {
        handOver();
    }

    /** Hands every inbox what this read batch brought for it. */
    private void handOver() {
        if (batch.isEmpty()) {
            return;
        }
        batch.forEach(NotificationInbox::offer);
        batch.clear();
    }

    private void answered(Command command) {
        if (!command.listen) {
            return;
        }
        if (command.error != null) {
            log.info("{} could not LISTEN on {}: {}", server, command.channel, command.error.getMessage());
            interest.remove(command.channel);
            failWaiters(Set.of(command.channel), command.error);
            return;
        }
        for (Command later : inFlight) {
            if (later.channel.equals(command.channel)) {
                return; // an UNLISTEN and another LISTEN follow: the last one decides
            }
        }
        if (interest.containsKey(command.channel)) {
            confirmed.add(command.channel);
            List<Promise<Void>> done = waiting.remove(command.channel);
            if (done != null) {
                done.forEach(p -> p.trySuccess(null));
            }
        }
    }

    private void failWaiters(Set<String> channels, PgException error) {
        for (String channel : new ArrayList<>(channels)) {
            List<Promise<Void>> failed = waiting.remove(channel);
            if (failed != null) {
                failed.forEach(p -> p.tryFailure(error));
            }
        }
    }

    @Override
    public void onServerClosed(ServerConnection s, Throwable cause) {
        if (s != server) {
            return;
        }
        handOver(); // what the backend sent last goes out before the warning
        replace(s, "was lost (" + (cause == null ? "closed" : cause.getMessage()) + ")");
    }

    /**
     * The pool wants the listening connection closed (RECONNECT, a reload that moved the database): it never goes
     * back to the pool, where that would happen, so the hub replaces it itself. Without this, WAIT_CLOSE would wait
     * for it for ever, and after a failover it would keep listening on the old server.
     */
    private void replaceIfRetired() {
        ServerConnection s = server;
        if (s == null) {
            return;
        }
        for (PoolAdmin.ServerView view : pool.admin().servers()) {
            if (view.server() == s && view.closeNeeded()) {
                handOver();
                pool.discard(s);
                replace(s, "is to be closed (RECONNECT or a new server address)");
                return;
            }
        }
    }

    /** The listening connection is gone: listening clients are warned, and another one LISTENs on every channel. */
    private void replace(ServerConnection s, String why) {
        server = null;
        inFlight.clear();
        confirmed.clear();
        figures.countLost();
        log.warn("listening connection {} of pool {} {}; opening another", s, pool.key(), why);
        Set<NotificationInbox> warned = new LinkedHashSet<>();
        interest.values().forEach(warned::addAll);
        for (NotificationInbox inbox : warned) {
            inbox.listenerLost();
        }
        if (!interest.isEmpty()) {
            open();
        }
    }
}
