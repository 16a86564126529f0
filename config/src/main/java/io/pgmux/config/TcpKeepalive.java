// TCP keepalive on client and server sockets: PgBouncer's tcp_keepalive, tcp_keepidle, tcp_keepintvl, tcp_keepcnt and
// tcp_user_timeout.
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How pgmux's client and server sockets notice a peer that vanished without closing (a crashed host, a dropped NAT
 * mapping). A zero time or count leaves the operating system's value.
 *
 * @param enabled     {@code tcp_keepalive}: send keepalive probes at all (default on)
 * @param idle        {@code tcp_keepidle}: idle time before the first probe, whole seconds
 * @param interval    {@code tcp_keepintvl}: time between probes, whole seconds
 * @param count       {@code tcp_keepcnt}: unanswered probes before the connection is dropped
 * @param userTimeout {@code tcp_user_timeout}: how long sent data may stay unacknowledged before the connection is
 *                    dropped (Linux TCP_USER_TIMEOUT), milliseconds
 */
public record TcpKeepalive(boolean enabled, Duration idle, Duration interval, int count, Duration userTimeout) {

    /** @throws IllegalArgumentException for a negative time or count */
    public TcpKeepalive {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(userTimeout, "userTimeout");
        if (idle.isNegative() || interval.isNegative() || userTimeout.isNegative() || count < 0) {
            throw new IllegalArgumentException("keepalive settings must not be negative");
        }
    }

    /** Keepalive on, with the operating system's timings. */
    public static TcpKeepalive defaults() {
        return new TcpKeepalive(true, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
    }

    /** {@link #idle} in whole seconds, rounded up; 0 = the operating system's. */
    public int idleSeconds() {
        return seconds(idle);
    }

    /** {@link #interval} in whole seconds, rounded up; 0 = the operating system's. */
    public int intervalSeconds() {
        return seconds(interval);
    }

    /** {@link #userTimeout} in milliseconds; 0 = the operating system's. */
    public int userTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, userTimeout.toMillis());
    }

    private static int seconds(Duration d) {
        long millis = d.toMillis();
        return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
    }
}
