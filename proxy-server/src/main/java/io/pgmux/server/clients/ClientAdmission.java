package io.pgmux.server.clients;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts a client connection against max_client_conn for as long as its socket is open. A connection over the
 * limit is not refused here: the refusal is sent once its StartupMessage arrived, so that the client reads it as
 * an ErrorResponse instead of a reset connection.
 */
public final class ClientAdmission extends ChannelInboundHandlerAdapter {
    private final ClientRegistry clients;
    private boolean admitted;

    public ClientAdmission(ClientRegistry clients) {
        this.clients = clients;
    }

    public boolean admitted() {
        return admitted;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        admitted = clients.admit();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            clients.leave();
        }
        ctx.fireChannelInactive();
    }
}
