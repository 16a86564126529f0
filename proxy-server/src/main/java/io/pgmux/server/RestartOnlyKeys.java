package io.pgmux.server;

import io.pgmux.config.PgmuxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a reload cannot apply to a running server; a change to them is reported, not applied. This list is
 * the one source: SHOW CONFIG's {@code changeable} column is derived from it, and a test checks the reload table of
 * docs/admin-console.md against it. Every other key is applied by a reload (at once or at the next login).
 */
public final class RestartOnlyKeys {
    /** A key as written in the configuration file, and how to read its value. */
    private record Key(String name, Function<PgmuxConfig, Object> value) {
        /** The name without its section, as SHOW CONFIG and the docs write it. */
        String shortName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    private static final List<Key> KEYS = List.of(
            new Key("listen", PgmuxConfig::listenAddresses),
            new Key("unix_socket_dir", c -> c.clientAddresses().unixSocketDir()),
            new Key("unix_socket_mode", c -> c.clientAddresses().unixSocketMode()),
            new Key("unix_socket_group", c -> c.clientAddresses().unixSocketGroup()),
            new Key("admin_listen", PgmuxConfig::adminListen),
            new Key("transport", PgmuxConfig::transport),
            new Key("worker_threads", PgmuxConfig::workerThreads),
            new Key("max_message_length", PgmuxConfig::maxMessageLength),
            new Key("max_parsed_message_length", PgmuxConfig::maxParsedMessageLength),
            new Key("pool.max_client_conn", c -> c.pool().maxClientConn()),
            new Key("pool.max_db_connections", c -> c.pool().maxDbConnections()),
            new Key("pool.max_user_connections", c -> c.pool().maxUserConnections()),
            // The backend connector and each pool's login backoff are built once, at start-up.
            new Key("timeouts.server_connect_timeout", c -> c.timeouts().serverConnectTimeout()),
            new Key("timeouts.server_login_retry", c -> c.timeouts().serverLoginRetry()),
            // TLS contexts are built from the start-up settings; a reload re-reads the client TLS files' contents.
            new Key("client_tls_sslmode", c -> c.auth().clientTls().mode()),
            new Key("client_tls_cert_file", c -> c.auth().clientTls().certFile()),
            new Key("client_tls_key_file", c -> c.auth().clientTls().keyFile()),
            new Key("client_tls_ca_file", c -> c.auth().clientTls().caFile()),
            new Key("client_tls_protocols", c -> c.auth().clientTls().protocols()),
            new Key("client_tls_ciphers", c -> c.auth().clientTls().ciphers()),
            new Key("server_tls_sslmode", c -> c.auth().serverTls().mode()),
            new Key("server_tls_ca_file", c -> c.auth().serverTls().caFile()),
            new Key("server_tls_cert_file", c -> c.auth().serverTls().certFile()),
            new Key("server_tls_key_file", c -> c.auth().serverTls().keyFile()),
            new Key("server_tls_protocols", c -> c.auth().serverTls().protocols()),
            // The listener is bound once; cancel keys already handed out carry the peer id.
            new Key("so_reuseport", c -> c.fleet().soReuseport()),
            new Key("peer_id", c -> c.fleet().peerId()),
            // The warm-up runs once, before the first readiness.
            new Key("warmup", c -> c.fleet().warmup()),
            // The WebSocket and HTTP listeners are bound, and their handlers built, once.
            new Key("websocket_listen", c -> c.web().websocketListen()),
            new Key("websocket_max_frame_size", c -> c.web().websocketMaxFrame()),
            new Key("http_listen", c -> c.web().httpListen()),
            new Key("http_max_request_size", c -> c.web().httpMaxRequestSize()),
            new Key("http_max_response_size", c -> c.web().httpMaxResponseSize()),
            new Key("http_request_timeout", c -> c.web().httpRequestTimeout()),
            // Socket options are set by the listener and the backend connector, both built once.
            new Key("tcp_keepalive", c -> c.tcp().enabled()),
            new Key("tcp_keepidle", c -> c.tcp().idle()),
            new Key("tcp_keepintvl", c -> c.tcp().interval()),
            new Key("tcp_keepcnt", c -> c.tcp().count()),
            new Key("tcp_user_timeout", c -> c.tcp().userTimeout()));

    private RestartOnlyKeys() {
    }

    /** The restart-only keys without their section ({@code max_client_conn}, not {@code pool.max_client_conn}). */
    public static List<String> shortNames() {
        return KEYS.stream().map(Key::shortName).toList();
    }

    /** Whether a reload leaves {@code shortName} (as SHOW CONFIG writes it) as it was at start-up. */
    public static boolean isRestartOnly(String shortName) {
        return KEYS.stream().anyMatch(k -> k.shortName().equals(shortName));
    }

    /** One message per key that differs and needs a restart to take effect. */
    static List<String> changed(PgmuxConfig before, PgmuxConfig after) {
        List<String> changed = new ArrayList<>();
        for (Key key : KEYS) {
            Object was = key.value().apply(before);
            if (!Objects.equals(was, key.value().apply(after))) {
                changed.add(key.name() + " changed but needs a restart; still " + was);
            }
        }
        return changed;
    }
}
