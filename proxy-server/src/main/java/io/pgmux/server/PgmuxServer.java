package io.pgmux.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgmux.config.DatabaseConfig;
import io.pgmux.config.HostPort;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.TransportType;
import io.pgmux.pool.BackendConnector;
import io.pgmux.pool.ConnectQueryConnector;
import io.pgmux.pool.KeepaliveOptions;
import io.pgmux.pool.CancelForwarder;
import io.pgmux.pool.FleetBudgetConnector;
import io.pgmux.pool.PoolRegistry;
import io.pgmux.pool.ServerConnector;
import io.pgmux.pool.ServerTls;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.config.ConfigException;
import io.pgmux.server.admin.ServerControl;
import io.pgmux.server.admin.ShutdownMode;
import io.pgmux.server.admin.StatsLog;
import io.pgmux.server.auth.AuthFailures;
import io.pgmux.server.clients.ClientRegistry;
import io.pgmux.server.clients.PeerCancels;
import io.pgmux.server.clients.PeerKeys;
import io.pgmux.server.http.AdminHttpServer;
import io.pgmux.server.logging.PublicConsoleAppender;
import io.pgmux.server.login.ClientChannelInitializer;
import io.pgmux.server.login.ClientTls;
import io.pgmux.server.metrics.ProxyMetrics;
import io.pgmux.server.notify.NotifyHubs;
import io.pgmux.server.pinning.PinCounters;
import io.pgmux.server.pinning.PinFiguresView;
import io.pgmux.server.session.LiveConfig;
import io.pgmux.server.session.ProxyContext;
import io.pgmux.server.session.TimeoutSweeper;
import io.pgmux.server.transport.http.HttpQueryChannelInitializer;
import io.pgmux.server.transport.websocket.WebSocketChannelInitializer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pgmux: the listening socket, the event loops shared by client and backend connections, and the
 * pools. {@link #start} binds and returns; {@link #close} stops accepting, closes every connection and the pools;
 * {@link #drainAndClose} first lets transactions in progress finish (SIGTERM); the console's SHUTDOWN
 * WAIT_FOR_SERVERS and WAIT_FOR_CLIENTS wait for the backends or the clients. {@link #reload} applies a new
 * configuration without dropping clients.
 */
public final class PgmuxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgmuxServer.class);

    private final PgmuxConfig config;
    private final LiveConfig live;
    private final Supplier<PgmuxConfig> reloadSource;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final PoolRegistry pools;
    private final ProxyContext context;
    private final ProxyMetrics metrics;
    /** The listening connections of LISTEN fan-out, one per pool that has listening clients. */
    private final NotifyHubs notifyHubs;
    private Channel listener;
    /** The TCP listeners of {@code listen}'s addresses after the first; empty when it names one. */
    private final List<Channel> moreListeners = new ArrayList<>();
    /** {@code unix_socket_dir}'s socket, or null when not set. */
    private UnixSocketListener unixListener;
    /** {@code websocket_listen}, or null when not set. */
    private Channel websocketListener;
    /** {@code http_listen}, or null when not set. */
    private Channel httpListener;
    /** The handlers of a PostgreSQL client, behind whatever carries its bytes (TCP, or a WebSocket). */
    private final ClientChannelInitializer clientHandlers;
    private AdminHttpServer admin;
    private volatile boolean draining;
    /** SIGTERM received: not ready any more, though the listener still accepts during shutdown_grace. */
    private volatile boolean leaving;
    /** The start-up warm-up is running: clients are served, but readiness waits for it (see notReadyUntil). */
    private volatile boolean warming;
    /** Whether start and stop are logged at INFO; not for the warm-up's private server, which no one connects to. */
    private final boolean announced;
    private final AtomicBoolean drainStarted = new AtomicBoolean();
    private final Reloader reloader = new Reloader(this::reloadNow);

    public PgmuxServer(PgmuxConfig config) {
        this(config, () -> config);
    }

    /**
     * @param reloadSource reads the configuration again for RELOAD and SIGHUP (file, environment, flags); throws
     *                     {@link ConfigException} when the new one is invalid
     */
    public PgmuxServer(PgmuxConfig config, Supplier<PgmuxConfig> reloadSource) {
        this(config, reloadSource, true);
    }

    /**
     * A server pgmux runs inside itself, for itself (the start-up warm-up's private listener): its start and stop
     * are not logged, and what its event loops log is not written (see PublicConsoleAppender), so that the log
     * names only the listeners and clients that are real.
     */
    public static PgmuxServer unannounced(PgmuxConfig config) {
        return new PgmuxServer(config, () -> config, false);
    }

    private PgmuxServer(PgmuxConfig config, Supplier<PgmuxConfig> reloadSource, boolean announced) {
        this.announced = announced;
        this.config = config;
        // The console encodes but does not write what a private server's threads log (PublicConsoleAppender).
        String threads = announced ? "pgmux-" : PublicConsoleAppender.PRIVATE_THREADS;
        this.live = new LiveConfig(config);
        this.reloadSource = Objects.requireNonNull(reloadSource, "reloadSource");
        this.transport = transportFor(config.transport());
        this.bossGroup = transport.newEventLoopGroup(1, new DefaultThreadFactory(threads + "accept", true));
        this.workerGroup = transport.newEventLoopGroup(config.workerThreads(),
                new DefaultThreadFactory(threads + "io", true));
        // The fleet budget is read at every opening, so a reload can set, change or lift it.
        BackendConnector connector = new FleetBudgetConnector(new ServerConnector(transport,
                config.timeouts().serverConnectTimeout(), config.maxMessageLength(), config.maxParsedMessageLength(),
                new ServerTls(config.auth().serverTls()), config.tcp()), () -> live.config().fleet().maxDbConnections(),
                config.timeouts().serverConnectTimeout());
        // A database's connect_query runs once its backend holds its fleet slot; read at every opening too.
        connector = new ConnectQueryConnector(connector, database -> {
            DatabaseConfig db = live.config().database(database);
            return db == null ? null : db.connectQuery();
        });
        this.pools = new PoolRegistry(config, connector, workerGroup);
        PeerKeys peerKeys = PeerKeys.of(config.fleet());
        ClientRegistry clients = new ClientRegistry(config.pool().maxClientConn(), peerKeys);
        PinCounters pins = new PinCounters();
        PinFiguresView pinFigures = new PinFiguresView(pins);
        this.notifyHubs = new NotifyHubs();
        this.metrics = new ProxyMetrics(pools, clients, pinFigures, () -> live.config().databases().keySet(),
                notifyHubs);
        metrics.bindBuildInfo(PgmuxVersion.version());
        ServerControl control = new ServerControl(live::config, pools, clients, pinFigures, reloader::submit,
                this::shutdown, notifyHubs);
        CancelForwarder cancels = new CancelForwarder(transport, config.timeouts().serverConnectTimeout());
        TimeoutSweeper sweeper = new TimeoutSweeper(live::config);
        this.context = new ProxyContext(config, pools, clients, cancels, live.credentials(), sweeper, pins, metrics,
                control, live, new ClientTls(config.auth().clientTls()), new AuthFailures(),
                new PeerCancels(clients, peerKeys, () -> live.config().fleet(), transport,
                        config.timeouts().serverConnectTimeout()), notifyHubs);
        this.clientHandlers = new ClientChannelInitializer(context);
        for (AuthFailures.Reason reason : AuthFailures.Reason.values()) {
            metrics.bindAuthFailures(reason.tag(), context.authFailures(), failures -> failures.count(reason));
        }
    }

    /** The transport the configuration names; a native one that cannot load here stops the start-up. */
    private static Transport transportFor(TransportType type) {
        return switch (type) {
            case AUTO -> Transport.best();
            case IO_URING -> Transport.ioUring();
            case EPOLL -> Transport.epoll();
            case NIO -> Transport.nio();
        };
    }

    /** Binds the listen address; port 0 picks a free port (see {@link #port()}). */
    public PgmuxServer start() throws InterruptedException {
        try {
            bindListener();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            close();
            throw ListenFailure.of(e, config.listen(), "clients");
        }
        if (announced) {
            log.info("pgmux listening on {}:{} (transport {}, {} event loops{})", config.listen().host(), port(),
                    transport.name(), config.workerThreads(), config.fleet().soReuseport() ? ", SO_REUSEPORT" : "");
        }
        for (HostPort address : config.clientAddresses().moreListen()) {
            moreListeners.add(bindExtraListener(address, "clients", clientHandlers));
        }
        if (config.clientAddresses().unixSocketDir() != null) {
            bindUnixSocket();
        }
        if (config.web().websocketListen() != null) {
            bindWebSocketListener();
        }
        if (config.web().httpListen() != null) {
            bindHttpListener();
        }
        StatsLog.start(context.control(), bossGroup.next()); // the accept loop carries no client
        if (config.adminListen() != null) {
            try {
                admin = AdminHttpServer.start(config.adminListen(), transport, metrics, live::config, this::ready);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                close();
                throw ListenFailure.of(e, config.adminListen(), "the admin HTTP endpoint");
            }
        }
        return this;
    }

    private void bindListener() throws InterruptedException {
        String notApplied = KeepaliveOptions.unsupported(transport, config.tcp());
        if (notApplied != null) {
            log.warn("{}", notApplied);
        }
        listener = clientBootstrap(clientHandlers)
                .bind(config.listen().host(), config.listen().port())
                .sync()
                .channel();
    }

    /** Binds {@code unix_socket_dir}/.s.PGSQL.PORT, PORT being the port the first listen address got. */
    private void bindUnixSocket() throws InterruptedException {
        var settings = config.clientAddresses();
        java.nio.file.Path file = settings.unixSocketFile(port());
        try {
            unixListener = UnixSocketListener.bind(file, settings.unixSocketMode(), settings.unixSocketGroup(),
                    transport, bossGroup, workerGroup, clientHandlers);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            close();
            throw ListenFailure.of(e, file.toString(), "clients");
        }
        log.info("pgmux listening for clients on Unix socket {}", file);
    }

    /** The options every listener for clients shares; the initializer decides what the connection carries. */
    private ServerBootstrap clientBootstrap(ChannelHandler initializer) {
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (config.fleet().soReuseport()) {
            ReusePort.apply(bootstrap, transport);
        }
        return KeepaliveOptions.applyToAccepted(bootstrap, transport, config.tcp())
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(initializer);
    }

    /** Binds {@code websocket_listen}: PostgreSQL in WebSocket frames, into the same client handlers. */
    private void bindWebSocketListener() throws InterruptedException {
        websocketListener = bindExtraListener(config.web().websocketListen(), "WebSocket clients",
                new WebSocketChannelInitializer(clientHandlers, context.clientTls(), config.web().websocketMaxFrame()));
    }

    /** Binds {@code http_listen}: the HTTP query endpoint, on the same pools. */
    private void bindHttpListener() throws InterruptedException {
        httpListener = bindExtraListener(config.web().httpListen(), "HTTP queries",
                new HttpQueryChannelInitializer(context, config.web()));
    }

    /** Binds a listener besides the client port; a failure closes what was started and names the address. */
    private Channel bindExtraListener(HostPort address, String what, ChannelHandler initializer)
            throws InterruptedException {
        Channel bound;
        try {
            bound = clientBootstrap(initializer).bind(address.host(), address.port()).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            close();
            throw ListenFailure.of(e, address, what);
        }
        log.info("pgmux listening for {} on {}:{}{}", what, address.host(),
                ((InetSocketAddress) bound.localAddress()).getPort(), context.clientTls().enabled() ? " (TLS)" : "");
        return bound;
    }

    /** Stops accepting clients on every listener; connected clients stay. */
    private void closeListeners() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        moreListeners.forEach(more -> more.close().syncUninterruptibly());
        if (unixListener != null) {
            unixListener.close();
        }
        if (websocketListener != null) {
            websocketListener.close().syncUninterruptibly();
        }
        if (httpListener != null) {
            httpListener.close().syncUninterruptibly();
        }
    }

    /** True while the client listener is bound and accepting new connections. */
    boolean accepting() {
        return listener != null && listener.isActive() && !draining;
    }

    /**
     * Readiness: true while pgmux takes new clients, that is while it accepts, no shutdown has begun and
     * max_client_conn leaves room. The databases play no part: a client that arrives while PostgreSQL is away
     * queues (or gets PostgreSQL's error), which beats being refused because every replica left the Service.
     */
    boolean ready() {
        return accepting() && !leaving && !warming && context.clients().connected() < config.pool().maxClientConn();
    }

    /**
     * Holds readiness back until {@code warmUp} completes, however it completes (a failed warm-up must not keep a
     * replica out of its Service for good). Clients that connect meanwhile are served, only more slowly.
     */
    public void notReadyUntil(CompletionStage<?> warmUp) {
        warming = true;
        warmUp.whenComplete((result, failure) -> warming = false);
    }

    /**
     * Reads the configuration again and applies what can change while running: users and passwords, databases
     * (added, removed, or changed: those drain), pool sizes, pool modes, client timeouts (also of connected
     * clients) and the client TLS files. Keys that need a restart ({@link RestartOnlyKeys}) are logged and keep
     * their values. Runs on the reload thread, like RELOAD and SIGHUP; the caller waits, so never call this on an
     * event loop (the console uses {@link Reloader#submit} and answers when it completes).
     *
     * @return what changed
     * @throws ConfigException when the new configuration is invalid; nothing is applied and the old one stays
     */
    public List<String> reload() {
        try {
            return reloader.submit().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private List<String> reloadNow() {
        PgmuxConfig next;
        try {
            next = reloadSource.get();
        } catch (ConfigException e) {
            log.error("configuration reload rejected, keeping the running configuration: {}", e.getMessage());
            throw e;
        }
        PgmuxConfig previous = live.swap(next);
        List<String> changes = new ArrayList<>(RestartOnlyKeys.changed(previous, next));
        changes.addAll(pools.reconfigure(next));
        if (context.clientTls().enabled()) {
            try {
                context.clientTls().reloadCertificates();
                changes.add("client TLS key and certificates re-read");
            } catch (RuntimeException e) {
                log.error("client TLS files could not be reloaded, keeping the current ones: {}", e.getMessage());
            }
        }
        log.info("configuration reloaded: {} databases, {} users{}", next.databases().size(), next.users().size(),
                changes.isEmpty() ? "" : "; " + String.join("; ", changes));
        return changes;
    }

    /**
     * SIGTERM: reports not ready and keeps accepting for shutdown_grace (load balancers and endpoint lists catch up
     * meanwhile), then stops accepting, lets the last clients accepted start their transaction
     * ({@link LastArrivals}, only with a grace), stops lending backends (clients that ask wait), waits up to
     * shutdown_timeout for the backends held by clients to come back (transactions in progress end normally), then
     * closes everything.
     */
    public void drainAndClose() {
        if (!drainStarted.compareAndSet(false, true)) {
            return; // a second signal while draining changes nothing
        }
        leaving = true;
        Duration grace = live.config().fleet().shutdownGrace();
        sleepThroughGrace(grace);
        draining = true;
        closeListeners();
        if (!grace.isZero()) {
            LastArrivals.await(context.clients(), pools);
        }
        long timeoutNanos = live.config().timeouts().shutdownTimeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        pools.pools().forEach(p -> p.admin().pause());
        log.info("draining: waiting up to {} ms for transactions in progress", timeoutNanos / 1_000_000);
        waitUntilNone(this::busyServers, deadline);
        int left = busyServers();
        if (left > 0) {
            log.warn("shutdown_timeout reached with {} backends still held by clients; closing them", left);
        }
        close();
    }

    /**
     * SHUTDOWN from the admin console, on a thread of its own. The waiting modes stop accepting at once (as PgBouncer
     * does, with no grace: the operator asked for it) and wait without a time limit; a plain SHUTDOWN or SIGTERM
     * meanwhile ends the wait, since {@link #close} makes it return.
     */
    private void shutdown(ShutdownMode mode) {
        if (mode != ShutdownMode.IMMEDIATE) {
            leaving = true;
            draining = true;
            closeListeners();
        }
        if (mode == ShutdownMode.WAIT_FOR_SERVERS) {
            pools.pools().forEach(p -> p.admin().pause());
            log.info("SHUTDOWN WAIT_FOR_SERVERS: not accepting; waiting for the backends held by clients");
            waitUntilNone(this::busyServers, Long.MAX_VALUE);
        } else if (mode == ShutdownMode.WAIT_FOR_CLIENTS) {
            log.info("SHUTDOWN WAIT_FOR_CLIENTS: not accepting; waiting for {} clients to disconnect",
                    context.clients().connected());
            waitUntilNone(context.clients()::connected, Long.MAX_VALUE);
        }
        close();
    }

    /** Polls until {@code remaining} is 0, the server closed (by another path), or {@code deadline} passed. */
    private void waitUntilNone(IntSupplier remaining, long deadlineNanos) {
        while (remaining.getAsInt() > 0 && closed.getCount() > 0
                && (deadlineNanos == Long.MAX_VALUE || System.nanoTime() < deadlineNanos)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleepThroughGrace(Duration grace) {
        if (grace.isZero()) {
            return;
        }
        log.info("shutting down: not ready, still accepting clients for shutdown_grace ({} ms)", grace.toMillis());
        try {
            Thread.sleep(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int busyServers() {
        return pools.pools().stream().mapToInt(p -> p.admin().busyServers()).sum();
    }

    /** Blocks until {@link #close()} ran (from SHUTDOWN, a signal or the caller). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** The port of the admin HTTP endpoint; -1 when admin_listen is not set. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /**
     * Re-reads the client TLS key, certificate and CA files (RELOAD, SIGHUP); connections keep running, new
     * handshakes use the new files. A file that cannot be used leaves the old ones in force.
     *
     * @throws io.pgmux.config.ConfigException if the new files cannot be used
     * @throws IllegalStateException           if client TLS is disabled
     */
    public void reloadCertificates() {
        context.clientTls().reloadCertificates();
    }

    /** Failed client logins by reason, for the metrics endpoint. */
    public AuthFailures authFailures() {
        return context.authFailures();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The local address of every TCP listener for clients: the first listen address, then the others. */
    public List<InetSocketAddress> listenAddresses() {
        List<InetSocketAddress> all = new ArrayList<>();
        all.add((InetSocketAddress) listener.localAddress());
        moreListeners.forEach(more -> all.add((InetSocketAddress) more.localAddress()));
        return all;
    }

    /** The Unix socket clients connect to; null when unix_socket_dir is not set. */
    public java.nio.file.Path unixSocketFile() {
        return unixListener == null ? null : unixListener.file();
    }

    /** The port of http_listen; -1 when it is not set. */
    public int httpPort() {
        return httpListener == null ? -1 : ((InetSocketAddress) httpListener.localAddress()).getPort();
    }

    /** The port of websocket_listen; -1 when it is not set. */
    public int websocketPort() {
        return websocketListener == null ? -1 : ((InetSocketAddress) websocketListener.localAddress()).getPort();
    }

    public String transportName() {
        return transport.name();
    }

    public PoolRegistry pools() {
        return pools;
    }

    /** The listening connections of LISTEN fan-out (tests and tools look at them). */
    public NotifyHubs notifyHubs() {
        return notifyHubs;
    }

    /** Pinning figures; package-private until the metrics endpoint publishes them. */
    PinCounters pinCounters() {
        return context.pinCounters();
    }

    int connectedClients() {
        return context.clients().connected();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        draining = true;
        closeListeners();
        if (admin != null) {
            admin.close();
        }
        reloader.close();
        pools.closeAll();
        metrics.close();
        context.credentials().close();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (announced) {
            log.info("pgmux stopped");
        }
        closed.countDown();
    }
}
