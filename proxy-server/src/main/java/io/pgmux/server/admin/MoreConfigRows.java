// The SHOW CONFIG rows of authentication, TLS, prepared statements, logging and the fleet: every key is listed.
package io.pgmux.server.admin;

import io.pgmux.config.AuthQuerySettings;
import io.pgmux.config.AuthSettings;
import io.pgmux.config.FleetSettings;
import io.pgmux.config.HostPort;
import io.pgmux.config.LogSettings;
import io.pgmux.config.PgmuxConfig;
import io.pgmux.config.PoolSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rows ShowSettings started without. Values are written as the configuration file writes them (lists comma
 * separated, durations in seconds, unset files empty), with PgBouncer's defaults where pgmux shares them.
 */
final class MoreConfigRows {

    /** Writes one row: key, value, default. */
    interface RowWriter {
        void row(String key, Object value, Object defaultValue);
    }

    private MoreConfigRows() {
    }

    static void add(PgmuxConfig c, RowWriter out) {
        out.row("max_prepared_statements", c.pool().maxPreparedStatements(),
                PoolSettings.defaults().maxPreparedStatements());
        AuthSettings auth = c.auth();
        out.row("auth_file", file(auth.authFile()), "");
        out.row("auth_hba_file", file(auth.hbaFile()), "");
        out.row("auth_cleartext_without_tls", auth.cleartextWithoutTls(), false);
        AuthQuerySettings query = auth.authQuery();
        out.row("auth_user", query.enabled() ? query.user() : "", "");
        out.row("auth_dbname", query.dbname() == null ? "" : query.dbname(), "");
        out.row("auth_query", query.query(), AuthQuerySettings.DEFAULT_QUERY);
        out.row("auth_query_cache_ttl", seconds(query.cacheTtl()), seconds(AuthQuerySettings.DEFAULT_CACHE_TTL));
        var client = auth.clientTls();
        out.row("client_tls_sslmode", client.mode().configName(), "disable");
        out.row("client_tls_cert_file", file(client.certFile()), "");
        out.row("client_tls_key_file", file(client.keyFile()), "");
        out.row("client_tls_ca_file", file(client.caFile()), "");
        out.row("client_tls_protocols", list(client.protocols()), "TLSv1.3,TLSv1.2");
        out.row("client_tls_ciphers", list(client.ciphers()), "");
        var server = auth.serverTls();
        out.row("server_tls_sslmode", server.mode().configName(), "prefer");
        out.row("server_tls_ca_file", file(server.caFile()), "");
        out.row("server_tls_cert_file", file(server.certFile()), "");
        out.row("server_tls_key_file", file(server.keyFile()), "");
        out.row("server_tls_protocols", list(server.protocols()), "TLSv1.3,TLSv1.2");
        LogSettings log = c.admin().logging();
        LogSettings defaults = LogSettings.defaults();
        out.row("log_connections", flag(log.connections()), flag(defaults.connections()));
        out.row("log_disconnections", flag(log.disconnections()), flag(defaults.disconnections()));
        out.row("log_pooler_errors", flag(log.poolerErrors()), flag(defaults.poolerErrors()));
        out.row("log_stats", flag(log.stats()), flag(defaults.stats()));
        out.row("stats_period", seconds(log.statsPeriod()), seconds(defaults.statsPeriod()));
        FleetSettings fleet = c.fleet();
        FleetSettings lone = FleetSettings.defaults();
        out.row("shutdown_grace", seconds(fleet.shutdownGrace()), seconds(lone.shutdownGrace()));
        out.row("so_reuseport", flag(fleet.soReuseport()), flag(lone.soReuseport()));
        out.row("peer_id", fleet.peerId(), lone.peerId());
        out.row("peers", peers(fleet.peers()), "");
        out.row("fleet_max_db_connections", fleet.maxDbConnections(), lone.maxDbConnections());
        out.row("warmup", seconds(fleet.warmup()), seconds(lone.warmup()));
        var addresses = c.clientAddresses();
        out.row("unix_socket_dir", file(addresses.unixSocketDir()), "");
        out.row("unix_socket_mode", String.format("0%o", addresses.unixSocketMode()), "0777");
        out.row("unix_socket_group", addresses.unixSocketGroup() == null ? "" : addresses.unixSocketGroup(), "");
        out.row("application_name_add_host", flag(addresses.applicationNameAddHost()), 0);
        out.row("server_round_robin", flag(c.pool().serverRoundRobin()), 0);
    }

    /** {@code id=host:port} by peer id, comma separated, as PgBouncer's [peers] section pairs them. */
    private static String peers(Map<Integer, HostPort> peers) {
        return peers.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** 1 and 0, as PgBouncer writes its switches, so its exporters read them as numbers. */
    private static int flag(boolean on) {
        return on ? 1 : 0;
    }

    private static long seconds(java.time.Duration d) {
        return d.toSeconds();
    }

    private static String file(Path path) {
        return path == null ? "" : path.toString();
    }

    private static String list(List<String> items) {
        return String.join(",", items);
    }
}
