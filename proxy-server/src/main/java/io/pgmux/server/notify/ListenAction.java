// One LISTEN, UNLISTEN or UNLISTEN * a client sent, which pgmux answers itself under pool.listen: fan-out.
package io.pgmux.server.notify;

/**
 * One subscription change of a client: what it does to the client's channels once its transaction commits, and the
 * CommandComplete tag PostgreSQL answers it with.
 *
 * @param kind    what the statement does
 * @param channel   the channel name as PostgreSQL reports it in notifications (unquoted names folded to lower case,
 *                  truncated to 63 bytes); null for {@link Kind#UNLISTEN_ALL}
 * @param truncated the name as written (folded) when PostgreSQL truncates it to {@code channel} and says so with a
 *                  NOTICE; else null
 */
record ListenAction(Kind kind, String channel, String truncated) {
    enum Kind {
        /** {@code LISTEN ch}: tag LISTEN. */
        LISTEN,
        /** {@code UNLISTEN ch}: tag UNLISTEN. */
        UNLISTEN,
        /** {@code UNLISTEN *}: tag UNLISTEN. */
        UNLISTEN_ALL
    }

    ListenAction(Kind kind, String channel) {
        this(kind, channel, null);
    }

    String tag() {
        return kind == Kind.LISTEN ? "LISTEN" : "UNLISTEN";
    }

    boolean listens() {
        return kind == Kind.LISTEN;
    }
}
