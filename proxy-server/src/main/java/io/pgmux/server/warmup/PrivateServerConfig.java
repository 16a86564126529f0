// The configuration of the warm-up's private pgmux, derived from the real one.
package io.pgmux.server.warmup;

import io.pgmux.config.AuthType;
import io.pgmux.config.ClientTlsMode;
import io.pgmux.config.ClientTlsSettings;
import io.pgmux.config.LogSettings;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.protocol.auth.ScramSecret;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * What the private pgmux shares with the real one is what decides which code runs, so that the warm-up compiles the
 * code real clients will run: the transport and event-loop count, the client authentication method (md5 and SCRAM
 * are different code), the client TLS certificate and the logging switches. The rest is its own: 127.0.0.1 on a free port, one database and one
 * user named for the warm-up with a random password, transaction pooling with a pool of two (fewer than the
 * synthetic clients, so that waiting for a backend is warmed too), no stats line, and no warm-up of its own.
 */
final class PrivateServerConfig {

    private PrivateServerConfig() {
    }

    /** The private server's configuration as YAML, for the scripted backend on {@code backendPort}. */
    static String yaml(PgmuxConfig real, int backendPort, String name, String password) {
        AuthType authType = authType(real);
        LogSettings logging = real.admin().logging();
        return "listen: 127.0.0.1:0\n"
                + "transport: " + real.transport().name().toLowerCase(Locale.ROOT) + "\n"
                + "worker_threads: " + real.workerThreads() + "\n"
                + "auth_type: " + authType.configName() + "\n"
                + "auth_cleartext_without_tls: true\n" // loopback only, and a password made for this warm-up
                + "log_connections: " + logging.connections() + "\n"
                + "log_disconnections: " + logging.disconnections() + "\n"
                + "log_pooler_errors: " + logging.poolerErrors() + "\n"
                + "log_stats: false\n"
                + "warmup: 0s\n"
                + clientTls(real.auth().clientTls())
                + "pool:\n  mode: transaction\n  default_pool_size: 2\n"
                + "databases:\n  " + name + ":\n    host: 127.0.0.1\n    port: " + backendPort + "\n"
                + "    user: " + name + "\n    password: '" + password + "'\n"
                + "users:\n  " + name + ":\n    password: '" + storedPassword(authType, password) + "'\n";
    }

    /**
     * With client TLS on, the same certificate, key, protocols and ciphers, so that the warm-up's TLS clients run the
     * handshakes real ones will; {@code prefer}, since most synthetic clients do not ask for TLS. Client certificates
     * are not asked for (the synthetic clients have none).
     */
    static String clientTls(ClientTlsSettings tls) {
        if (!usesTls(tls)) {
            return "";
        }
        StringBuilder yaml = new StringBuilder("client_tls_sslmode: prefer\n")
                .append("client_tls_cert_file: ").append(quoted(tls.certFile().toString())).append('\n')
                .append("client_tls_key_file: ").append(quoted(tls.keyFile().toString())).append('\n')
                .append("client_tls_protocols: [").append(String.join(", ", tls.protocols())).append("]\n");
        if (!tls.ciphers().isEmpty()) {
            yaml.append("client_tls_ciphers: [").append(String.join(", ", tls.ciphers())).append("]\n");
        }
        return yaml.toString();
    }

    /** Whether clients of the real configuration may use TLS, so that the warm-up should run handshakes. */
    static boolean usesTls(ClientTlsSettings tls) {
        return tls.mode() != ClientTlsMode.DISABLE && tls.certFile() != null && tls.keyFile() != null;
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** The method most clients will use: auth_type, or SCRAM when auth_hba_file chooses per connection. */
    static AuthType authType(PgmuxConfig real) {
        AuthType type = real.authType();
        return real.auth().hbaFile() != null || type == AuthType.REJECT ? AuthType.SCRAM_SHA_256 : type;
    }

    /**
     * md5 and password need the password itself; SCRAM gets a secret of one iteration: the server's side of SCRAM
     * does not depend on the count, and the synthetic clients' side becomes cheap.
     */
    private static String storedPassword(AuthType authType, String password) {
        if (authType != AuthType.SCRAM_SHA_256) {
            return password;
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return ScramSecret.fromPassword(password, salt, 1).toString();
    }
}
