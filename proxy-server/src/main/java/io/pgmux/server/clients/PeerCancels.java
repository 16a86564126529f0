// Routes a CancelRequest: to the local client holding the key, or to the peer replica that issued the key.
package io.pgmux.server.clients;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.pgmux.config.FleetSettings;
import io.pgmux.config.HostPort;
import io.pgmux.protocol.CancelRequest;
import io.pgmux.protocol.FrontendMessages;
import io.pgmux.protocol.transport.Transport;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a CancelRequest goes. Behind a load balancer a cancel often reaches another replica than the one holding
 * the client (for two replicas, half of them), so with {@code peers} set each key names its issuer
 * ({@link PeerKeys}) and a cancel for another peer's key is sent on to that peer, unchanged but for the forwarded
 * mark, on a new plain connection. Everything else (own keys, keys without a known peer, cancels already
 * forwarded once) is looked up among the local clients. As with PostgreSQL, nothing is ever answered, so a wrong
 * key reveals nothing, and a cancel that cannot be delivered is dropped.
 *
 * <p>Threading: any event loop; the peer list is read from the configuration in force, so RELOAD can change it.
 */
public final class PeerCancels {
    private static final Logger log = LoggerFactory.getLogger(PeerCancels.class);

    private final ClientRegistry clients;
    private final PeerKeys keys;
    private final Supplier<FleetSettings> fleet;
    private final Transport transport;
    private final Duration connectTimeout;

    /**
     * @param fleet          the fleet settings in force (peers are read at each cancel)
     * @param connectTimeout how long connecting to a peer may take (server_connect_timeout)
     */
    public PeerCancels(ClientRegistry clients, PeerKeys keys, Supplier<FleetSettings> fleet, Transport transport,
                       Duration connectTimeout) {
        this.clients = clients;
        this.keys = keys;
        this.fleet = fleet;
        this.transport = transport;
        this.connectTimeout = connectTimeout;
    }

    /** Cancels locally or forwards, from {@code loop}; never blocks. */
    public void route(EventLoop loop, CancelRequest cancel) {
        int processId = cancel.processId();
        if (PeerKeys.forwarded(processId)) {
            clients.cancel(PeerKeys.unmarked(processId), cancel.secretKey());
            return;
        }
        int issuer = PeerKeys.peerOf(processId);
        HostPort peer = !keys.peering() || issuer == keys.peerId() ? null : fleet.get().peers().get(issuer);
        if (peer == null) {
            clients.cancel(processId, cancel.secretKey());
            return;
        }
        forward(loop, peer, PeerKeys.markForwarded(processId), cancel.secretKey());
    }

    private void forward(EventLoop loop, HostPort peer, int processId, int secret) {
        new Bootstrap().group(loop).channel(transport.socketChannelClass())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        connectTimeout.toMillis()))
                .handler(new CancelWriter(processId, secret))
                .connect(peer.host(), peer.port())
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        log.warn("cancel request for peer {}:{} dropped: {}", peer.host(), peer.port(),
                                f.cause().getMessage());
                    }
                });
    }

    /** Writes the CancelRequest once connected and closes; the peer answers nothing. */
    private static final class CancelWriter extends ChannelInboundHandlerAdapter {
        private final int processId;
        private final int secret;

        CancelWriter(int processId, int secret) {
            this.processId = processId;
            this.secret = secret;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(FrontendMessages.cancelRequest(ctx.alloc(), processId, secret))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
