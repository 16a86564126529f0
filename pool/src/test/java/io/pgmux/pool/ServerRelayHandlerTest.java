// The relay handler records the backend's own state from every frame before any holder sees the frame.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.TransactionStatus;
import io.pgmux.protocol.transport.Transport;
import io.pgmux.testing.DetectLeaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@DetectLeaks
class ServerRelayHandlerTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Pool pool = pool();
    private final ServerConnection server = new ServerConnection(pool, pool.target(), ServerTls.disabled(), channel,
            null, Map.of("application_name", "login"));

    ServerRelayHandlerTest() {
        channel.pipeline().addLast(new ServerRelayHandler(server));
    }

    @AfterEach
    void finish() {
        assertThat(channel.finishAndReleaseAll()).as("nothing left in the channel").isFalse();
    }

    @Test
    void stateIsRecordedBeforeTheHolderGetsTheFrame() {
        List<String> seen = new ArrayList<>();
        server.attach(new Route(new ServerListener() {
            @Override
            public void onServerFrame(ServerConnection s, ByteBuf frame) {
                // The holder reads the backend's state as of this very frame, without observing it itself.
                seen.add(s.transactionStatus() + " " + s.reportedParameters().get("application_name"));
                frame.release();
            }

            @Override
            public void onServerClosed(ServerConnection s, Throwable cause) {
            }
        }, channel.eventLoop()));

        channel.writeInbound(BackendMessages.parameterStatus(ByteBufAllocator.DEFAULT, "application_name", "batch"));
        channel.writeInbound(BackendMessages.readyForQuery(TransactionStatus.IN_TRANSACTION));
        channel.writeInbound(BackendMessages.readyForQuery(TransactionStatus.FAILED));
        channel.writeInbound(BackendMessages.readyForQuery(TransactionStatus.IDLE));

        assertThat(seen).containsExactly("IDLE batch", "IN_TRANSACTION batch", "FAILED batch", "IDLE batch");
    }

    @Test
    void framesReadWhileIdleInThePoolStillUpdateTheState() {
        channel.writeInbound(BackendMessages.parameterStatus(ByteBufAllocator.DEFAULT, "TimeZone", "UTC"));
        channel.writeInbound(BackendMessages.readyForQuery(TransactionStatus.IN_TRANSACTION));

        assertThat(server.reportedParameters()).containsEntry("TimeZone", "UTC")
                .containsEntry("application_name", "login");
        assertThat(server.transactionStatus()).isEqualTo(TransactionStatus.IN_TRANSACTION);
        assertThat(channel.isOpen()).as("an idle backend's ordinary messages do not close it").isTrue();
    }

    private static Pool pool() {
        return new Pool(new PoolKey("app", "app"), new BackendTarget("127.0.0.1", 1, "app", "app", null, Map.of()),
                new PoolLimits(1, Duration.ZERO, ""),
                new ServerConnector(Transport.nio(), Duration.ofSeconds(1), 1024));
    }
}
