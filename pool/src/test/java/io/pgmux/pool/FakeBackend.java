// A scripted stand-in for PostgreSQL on Netty's in-process transport, so pool tests need no database.
package io.pgmux.pool;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.TransactionStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the way PostgreSQL would, from a short script: a login is accepted (AuthenticationOk, two
 * ParameterStatus, BackendKeyData, ReadyForQuery) or refused with FATAL 28P01; each simple Query gets
 * CommandComplete and ReadyForQuery with the transaction status it leads to (BEGIN opens a transaction,
 * COMMIT/ROLLBACK end it, a statement starting with FAIL is an error, HANG is never answered, SLEEP n is answered
 * after n microseconds and not listed); Terminate closes.
 * Counts the sessions open now and at most, and lists every statement received, in order. It may play a primary
 * or a standby ({@link #hotStandby}: the {@code in_hot_standby} ParameterStatus of PostgreSQL 14, and the answer to
 * {@code SELECT pg_is_in_recovery()}), be promoted while sessions are open, and drop every session as a crash does.
 */
final class FakeBackend implements AutoCloseable {
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private final LocalAddress address = new LocalAddress("fake-postgres-" + ADDRESSES.incrementAndGet());
    private final Channel listener;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final List<String> statements = new CopyOnWriteArrayList<>();
    private volatile boolean refuseLogins;
    /** "on", "off", or null to report no in_hot_standby (a server older than 14). */
    private volatile String hotStandby = "off";
    private volatile boolean inRecovery;
    private volatile long replayLagMillis;
    private final List<Channel> sessions = new CopyOnWriteArrayList<>();
    /** Fleet slots (pgmux's advisory locks) there are, and those held by open sessions. */
    private volatile int fleetSlots = Integer.MAX_VALUE;
    private final AtomicInteger slotsHeld = new AtomicInteger();

    FakeBackend(EventLoopGroup group) {
        listener = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(new Session());
                    }
                })
                .bind(address).syncUninterruptibly().channel();
    }

    LocalAddress address() {
        return address;
    }

    /** From now on, logins fail as with a wrong password. */
    void refuseLogins(boolean refuse) {
        refuseLogins = refuse;
    }

    /**
     * From now on, logins show this role: {@code "on"} a standby, {@code "off"} a primary, null a server that does
     * not report in_hot_standby and is asked pg_is_in_recovery() instead ({@code recovery} is its answer).
     */
    void hotStandby(String reported, boolean recovery) {
        hotStandby = reported;
        inRecovery = recovery;
    }

    /** A standby promoted: open sessions are told in_hot_standby is off, as PostgreSQL 14 does. */
    void promote() {
        hotStandby = "off";
        inRecovery = false;
        for (Channel session : sessions) {
            session.writeAndFlush(BackendMessages.parameterStatus(session.alloc(), "in_hot_standby", "off"));
        }
    }

    /** From now on, the health check query reports this replay lag (a standby only). */
    void replayLag(long millis) {
        replayLagMillis = millis;
    }

    /**
     * A server older than 14 promoted or demoted: only pg_is_in_recovery() tells, no ParameterStatus is sent, so only
     * a query (the health check) can learn it.
     */
    void recoveryQuietly(boolean recovery) {
        inRecovery = recovery;
    }

    /**
     * From now on, the fleet slot statement (pg_try_advisory_lock) succeeds only while fewer than {@code slots}
     * sessions hold one, and fails with 53300 otherwise; a slot is freed when its session closes, as PostgreSQL
     * frees a session advisory lock.
     */
    void fleetSlots(int slots) {
        fleetSlots = slots;
    }

    /** Closes every open session at once, as a server that crashed. */
    void dropSessions() {
        sessions.forEach(Channel::close);
    }

    /** Sessions open at this moment. */
    int open() {
        return open.get();
    }

    /** The most sessions ever open at once. */
    int peak() {
        return peak.get();
    }

    /** Logins accepted so far. */
    int logins() {
        return logins.get();
    }

    /** Every statement received, in the order received (across sessions). */
    List<String> statements() {
        return List.copyOf(statements);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private boolean claimSlot() {
        int held = slotsHeld.get();
        while (held < fleetSlots) {
            if (slotsHeld.compareAndSet(held, held + 1)) {
                return true;
            }
            held = slotsHeld.get();
        }
        return false;
    }

    /** One backend session: the startup packet (no type byte), then typed messages. */
    private final class Session extends ByteToMessageDecoder {
        private boolean started;
        private TransactionStatus status = TransactionStatus.IDLE;
        private final int pid = ADDRESSES.incrementAndGet() * 1000 + open.get();
        private boolean holdsSlot;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            peak.accumulateAndGet(open.incrementAndGet(), Math::max);
            sessions.add(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            open.decrementAndGet();
            sessions.remove(ctx.channel());
            if (holdsSlot) {
                slotsHeld.decrementAndGet();
            }
            super.channelInactive(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!started) {
                if (in.readableBytes() < 4 || in.readableBytes() < in.getInt(in.readerIndex())) {
                    return;
                }
                in.skipBytes(in.getInt(in.readerIndex()));
                started = true;
                login(ctx);
                return;
            }
            if (in.readableBytes() < 5 || in.readableBytes() < 1 + in.getInt(in.readerIndex() + 1)) {
                return;
            }
            byte type = in.readByte();
            ByteBuf body = in.readSlice(in.readInt() - 4);
            if (type == 'Q') {
                answer(ctx, body.toString(body.readerIndex(), body.readableBytes() - 1, StandardCharsets.UTF_8));
            } else if (type == 'X') {
                ctx.close();
            }
        }

        private void login(ChannelHandlerContext ctx) {
            if (refuseLogins) {
                ctx.writeAndFlush(BackendMessages.errorResponse(ctx.alloc(), Severity.FATAL, "28P01",
                        "password authentication failed")).addListener(f -> ctx.close());
                return;
            }
            logins.incrementAndGet();
            ctx.write(BackendMessages.authenticationOk());
            ctx.write(BackendMessages.parameterStatus(ctx.alloc(), "server_version", "16.0"));
            ctx.write(BackendMessages.parameterStatus(ctx.alloc(), "application_name", ""));
            String standby = hotStandby;
            if (standby != null) {
                ctx.write(BackendMessages.parameterStatus(ctx.alloc(), "in_hot_standby", standby));
            }
            ctx.write(BackendMessages.backendKeyData(ctx.alloc(), pid, 42));
            ctx.writeAndFlush(BackendMessages.readyForQuery(status));
        }

        private void answer(ChannelHandlerContext ctx, String sql) {
            if (sql.startsWith("SLEEP ")) {
                ctx.executor().schedule(() -> {
                    ctx.write(BackendMessages.commandComplete(ctx.alloc(), "SELECT 1"));
                    ctx.writeAndFlush(BackendMessages.readyForQuery(status));
                }, Long.parseLong(sql.substring(6)), TimeUnit.MICROSECONDS);
                return;
            }
            statements.add(sql);
            if (sql.equals(HostProbe.QUERY)) {
                ctx.write(BackendMessages.dataRow(ctx.alloc(), List.of(inRecovery ? "t" : "f",
                        Long.toString(inRecovery ? replayLagMillis : 0))));
            }
            if (sql.equals("SELECT pg_is_in_recovery()")) {
                ctx.write(BackendMessages.dataRow(ctx.alloc(), List.of(inRecovery ? "t" : "f")));
            }
            if (sql.equals("HANG")) {
                return;
            }
            if (sql.contains("pg_try_advisory_lock")) {
                takeSlot(ctx);
                return;
            }
            if (sql.startsWith("FAIL")) {
                status = status == TransactionStatus.IDLE ? TransactionStatus.IDLE : TransactionStatus.FAILED;
                ctx.write(BackendMessages.errorResponse(ctx.alloc(), Severity.ERROR, "XX000", "scripted failure"));
            } else {
                if (sql.equals("BEGIN")) {
                    status = TransactionStatus.IN_TRANSACTION;
                } else if (sql.equals("COMMIT") || sql.equals("ROLLBACK")) {
                    status = TransactionStatus.IDLE;
                }
                String tag = sql.split(" ")[0];
                ctx.write(BackendMessages.commandComplete(ctx.alloc(), tag));
            }
            ctx.writeAndFlush(BackendMessages.readyForQuery(status));
        }

        private void takeSlot(ChannelHandlerContext ctx) {
            if (!holdsSlot && claimSlot()) {
                holdsSlot = true;
                ctx.write(BackendMessages.commandComplete(ctx.alloc(), "DO"));
            } else {
                ctx.write(BackendMessages.errorResponse(ctx.alloc(), Severity.ERROR, "53300", "no free fleet slot"));
            }
            ctx.writeAndFlush(BackendMessages.readyForQuery(status));
        }
    }
}
