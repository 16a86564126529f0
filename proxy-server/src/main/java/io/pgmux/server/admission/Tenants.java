// Which tenant a client belongs to, by pool.tenant_key, and the pgmux.* startup options that pgmux keeps to itself.
package io.pgmux.server.admission;

import io.pgmux.config.AdmissionSettings;
import io.pgmux.pool.Admission;
import io.pgmux.protocol.Severity;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * Makes a client's {@link Admission} at login. The startup options {@code -c pgmux.tenant=NAME} and
 * {@code -c pgmux.wait_deadline=2s} are read and taken out of the client's parameters: they are for pgmux, and
 * would otherwise be SET on every backend the client is given.
 */
public final class Tenants {
    static final String TENANT_OPTION = "pgmux.tenant";
    static final String DEADLINE_OPTION = "pgmux.wait_deadline";

    private Tenants() {
    }

    /**
     * @param parameters the client's startup parameters; the pgmux.* options are removed from it
     * @throws io.pgmux.protocol.PgException FATAL 22023 for an invalid pgmux.wait_deadline
     */
    public static Admission admissionAtLogin(AdmissionSettings settings, String user, Map<String, String> parameters,
                                             SocketAddress address) {
        String option = parameters.remove(TENANT_OPTION);
        String deadline = parameters.remove(DEADLINE_OPTION);
        String tenant = switch (settings.key()) {
            case APPLICATION_NAME -> parameters.getOrDefault("application_name", "");
            case USER -> user;
            case OPTION -> option == null ? "" : option;
            case ADDRESS -> address instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : isUnixSocket(address) ? "unix" : String.valueOf(address);
        };
        long deadlineNanos = deadline != null ? WaitDeadlines.parseNanos(deadline, Severity.FATAL)
                : settings.defaultWaitDeadline().toNanos();
        return new Admission(tenant, deadlineNanos);
    }

    /** The clients of the Unix socket are one tenant by address: they have none, and their paths are empty. */
    private static boolean isUnixSocket(SocketAddress address) {
        return address instanceof java.net.UnixDomainSocketAddress
                || address instanceof io.netty.channel.unix.DomainSocketAddress;
    }
}
