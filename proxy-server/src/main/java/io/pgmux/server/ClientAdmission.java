package io.pgmux.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts a client connection against max_client_conn for as long as its socket is open. A connection over the
 * limit is not refused here: the refusal is sent once its StartupMessage arrived, so that the client reads it as
 * an ErrorResponse instead of a reset connection.
 */
final class ClientAdmission extends ChannelInboundHandlerAdapter {
    private final ClientRegistry clients;
    private boolean admitted;

    ClientAdmission(ClientRegistry clients) {
        this.clients = clients;
    }

    boolean admitted() {
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
