// Every setting of PgBouncer 1.25's [pgbouncer] section and what pgmux makes of it.
package io.pgmux.config.pgbouncer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The catalogue of PgBouncer 1.25's general settings (its {@code bouncer_params} table, in its order). Each is
 * {@link Treatment#APPLIED applied}, {@link Treatment#MAPPED mapped} with a note, or {@link Treatment#IGNORED ignored}
 * with a warning that names it; a key outside the catalogue is an error, as in PgBouncer. The few settings that only
 * mean something together (listen_addr with listen_port, auth_type with auth_hba_file, peer_id with [peers]) are
 * read by {@link ListenAndAuth} and {@link PeerEntries}; their entries here only document them.
 */
public final class PgBouncerSettings {

    /** One general setting: how it carries over, the reason shown in notes and warnings, and its translation. */
    record Setting(String name, Treatment treatment, String note, BiConsumer<IniEntry, ConversionTarget> apply) {
    }

    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();
    /** Named in PgBouncer's sample configuration after 1.25.2. */
    private static final Set<String> NEWER = Set.of("login_notify_message", "pool_idle_timeout", "auth_pam_confdir");
    private static final BiConsumer<IniEntry, ConversionTarget> COMBINED = (entry, out) -> { };
    /** Mapped settings whose translation writes its note only when it changes the value. */
    private static final Set<String> NOTES_ITSELF = Set.of("client_tls_sslmode");

    static {
        applied("admin_users", (e, o) -> o.top("admin_users", IniValues.list(e.value())));
        flag("application_name_add_host");
        applied("auth_dbname", (e, o) -> o.top("auth_dbname", e.value().strip()));
        mapped("auth_file", "read by pgmux as it is (same format); a relative name is taken from the ini's directory",
                COMBINED);
        mapped("auth_hba_file", "used when auth_type = hba, as PgBouncer does; local lines apply to clients of the "
                + "Unix socket, host, hostssl and hostnossl lines to TCP clients", COMBINED);
        ignored("auth_ident_file", "ident maps are not supported");
        ignored("auth_ldap_options", "LDAP authentication is not supported");
        applied("auth_query", (e, o) -> o.top("auth_query", e.value()));
        mapped("auth_type", "plain becomes password with auth_cleartext_without_tls, any becomes trust, hba uses "
                + "auth_hba_file; cert, ldap and pam are refused", COMBINED);
        applied("auth_user", (e, o) -> o.top("auth_user", e.value()));
        ignored("autodb_idle_timeout", "the pools of a database served through * are kept like the others");
        ignored("cancel_wait_timeout", "a cancel request is forwarded at once and not queued");
        seconds("client_idle_timeout", "client_idle_timeout");
        positiveSeconds("client_login_timeout", "client_login_timeout");
        ignored("client_tls13_ciphers", "pgmux uses the JDK's TLS 1.3 cipher suites");
        path("client_tls_ca_file");
        path("client_tls_cert_file");
        mapped("client_tls_ciphers", "OpenSSL cipher strings are not translated: pgmux uses the JDK's default "
                + "suites, or client_tls_ciphers with IANA names", (e, o) -> { });
        ignored("client_tls_dheparams", "the JDK chooses the key exchange");
        ignored("client_tls_ecdhcurve", "the JDK chooses the key exchange");
        mapped("client_tls_key_file", "the key must be unencrypted PKCS#8 PEM (openssl pkcs8 -topk8 -nocrypt)",
                (e, o) -> o.top("client_tls_key_file", IniValues.path(e)));
        mapped("client_tls_protocols", "TLS 1.2 and 1.3 only; older versions are never enabled",
                (e, o) -> TlsValues.protocols(e, o, "client_tls_protocols"));
        mapped("client_tls_sslmode", "verify-full becomes verify-ca: PgBouncer checks a client certificate alike "
                + "for both, while pgmux's verify-full also wants its common name to be the user name", (e, o) -> {
                    String mode = e.value().strip();
                    if (mode.equalsIgnoreCase("verify-full")) {
                        o.note(e, find("client_tls_sslmode").note());
                        mode = "verify-ca";
                    }
                    o.top("client_tls_sslmode", mode);
                });
        ignored("conffile", "the file is the one given to --pgbouncer-ini");
        integer("default_pool_size", "pool", "default_pool_size", 1);
        ignored("disable_pqexec", "pgmux lets multi-statement simple queries through");
        ignored("dns_max_ttl", "host names are resolved by the JVM, which caches them itself");
        ignored("dns_nxdomain_ttl", "host names are resolved by the JVM, which caches them itself");
        ignored("dns_zone_check_period", "host names are resolved by the JVM, which caches them itself");
        seconds("idle_transaction_timeout", "idle_transaction_timeout");
        mapped("ignore_startup_parameters", "not needed: pgmux accepts every startup parameter and sets it on each "
                + "server connection the client is given", (e, o) -> { });
        ignored("job_name", "it only names PgBouncer's Windows service");
        mapped("listen_addr", "every address of the list, each with listen_port; * is 0.0.0.0 (IPv4: add :: for "
                + "IPv6); with no address (Unix socket only) pgmux listens on 127.0.0.1 as well", COMBINED);
        ignored("listen_backlog", "the operating system's default backlog is used");
        mapped("listen_port", "the port of listen", COMBINED);
        flag("log_connections");
        flag("log_disconnections");
        flag("log_pooler_errors");
        flag("log_stats");
        ignored("logfile", "pgmux logs to standard output; redirect it or use PGMUX_LOG_FORMAT=json");
        integer("max_client_conn", "pool", "max_client_conn", 1);
        integer("max_db_client_connections", "pool", "max_db_client_connections", 0);
        integer("max_db_connections", "pool", "max_db_connections", 0);
        mapped("max_packet_size", "becomes max_message_length, at most 1 GiB (PostgreSQL's own limit)",
                (e, o) -> {
                    Integer n = IniValues.integer(e, 1024, o);
                    if (n != null) {
                        o.top("max_message_length", Math.min(n, 1 << 30));
                    }
                });
        integer("max_prepared_statements", "pool", "max_prepared_statements", 0);
        integer("max_user_client_connections", "pool", "max_user_client_connections", 0);
        integer("max_user_connections", "pool", "max_user_connections", 0);
        integer("min_pool_size", "pool", "min_pool_size", 0);
        mapped("peer_id", "with the [peers] section: peer_id and peers, so that a cancel request reaching another "
                + "replica is forwarded; 0 (not set) leaves peering off, as in PgBouncer; pgmux's ids are 0..255",
                COMBINED);
        ignored("pidfile", "pgmux runs in the foreground; let the service manager track it");
        ignored("pkt_buf", "pgmux sizes its buffers itself");
        applied("pool_mode", (e, o) -> o.in("pool", "mode", e.value().strip()));
        seconds("query_timeout", "query_timeout");
        seconds("query_wait_notify", "query_wait_notify");
        positiveSeconds("query_wait_timeout", "query_wait_timeout");
        integer("reserve_pool_size", "pool", "reserve_pool_size", 0);
        mapped("reserve_pool_timeout", "0 (use the reserve at once) becomes 1ms", (e, o) -> {
            String d = IniValues.duration(e, o);
            if (d != null) {
                o.in("pool", "reserve_pool_timeout", d.equals("0") ? "1ms" : d);
            }
        });
        ignored("resolv_conf", "host names are resolved by the JVM");
        ignored("sbuf_loopcnt", "pgmux reads whatever each socket has ready");
        ignored("scram_iterations", "pgmux uses the iteration count of each stored SCRAM secret");
        seconds("server_check_delay", "server_check_delay");
        mapped("server_check_query", "<empty> (PgBouncer's empty query) becomes pgmux's SELECT 1; an empty value "
                + "turns the check off in both", (e, o) -> o.in("pool", "server_check_query",
                        e.value().equals("<empty>") ? "SELECT 1" : e.value()));
        positiveSeconds("server_connect_timeout", "server_connect_timeout");
        ignored("server_fast_close", "pgmux closes a server connection when its client gives it back");
        positiveSeconds("server_idle_timeout", "server_idle_timeout");
        positiveSeconds("server_lifetime", "server_lifetime");
        positiveSeconds("server_login_retry", "server_login_retry");
        applied("server_reset_query", (e, o) -> o.in("pool", "server_reset_query", e.value()));
        ignored("server_reset_query_always", "pgmux resets a server connection after session pooling and after a "
                + "pinned client, where state may be left");
        applied("server_round_robin", (e, o) -> {
            Boolean on = IniValues.flag(e, o);
            if (on != null) {
                o.in("pool", "server_round_robin", on);
            }
        });
        ignored("server_tls13_ciphers", "pgmux uses the JDK's TLS 1.3 cipher suites");
        path("server_tls_ca_file");
        path("server_tls_cert_file");
        ignored("server_tls_ciphers", "pgmux uses the JDK's default cipher suites towards PostgreSQL");
        mapped("server_tls_key_file", "the key must be unencrypted PKCS#8 PEM (openssl pkcs8 -topk8 -nocrypt)",
                (e, o) -> o.top("server_tls_key_file", IniValues.path(e)));
        mapped("server_tls_protocols", "TLS 1.2 and 1.3 only; older versions are never enabled",
                (e, o) -> TlsValues.protocols(e, o, "server_tls_protocols"));
        mapped("server_tls_sslmode", "allow becomes prefer (pgmux has no allow towards PostgreSQL)",
                (e, o) -> o.top("server_tls_sslmode",
                        e.value().strip().equalsIgnoreCase("allow") ? "prefer" : e.value().strip()));
        ignored("service_name", "it only names PgBouncer's Windows service");
        flag("so_reuseport");
        applied("stats_period", (e, o) -> {
            String d = IniValues.duration(e, o);
            if ("0".equals(d)) {
                o.error(e, "must be at least 1 second");
            } else if (d != null) {
                o.top("stats_period", d);
            }
        });
        applied("stats_users", (e, o) -> o.top("stats_users", IniValues.list(e.value())));
        ignored("suspend_timeout", "pgmux's SUSPEND holds the pools and hands no sockets to another process (there "
                + "is no online restart), so there is no buffer flush to wait for");
        ignored("syslog", "pgmux logs to standard output");
        ignored("syslog_facility", "pgmux logs to standard output");
        ignored("syslog_ident", "pgmux logs to standard output");
        ignored("tcp_defer_accept", "the operating system's default is used");
        flag("tcp_keepalive");
        applied("tcp_keepcnt", (e, o) -> {
            Integer n = IniValues.integer(e, 0, o);
            if (n != null) {
                o.top("tcp_keepcnt", n);
            }
        });
        topSeconds("tcp_keepidle");
        topSeconds("tcp_keepintvl");
        ignored("tcp_socket_buffer", "the operating system's default is used");
        mapped("tcp_user_timeout", "milliseconds, as in PgBouncer; applied with the epoll and io_uring transports",
                (e, o) -> {
                    Integer ms = IniValues.integer(e, 0, o);
                    if (ms != null) {
                        o.top("tcp_user_timeout", ms == 0 ? (Object) 0 : ms + "ms");
                    }
                });
        applied("track_extra_parameters", (e, o) -> o.in("pool", "track_extra_parameters",
                IniValues.list(e.value())));
        seconds("transaction_timeout", "transaction_timeout");
        mapped("unix_socket_dir", "the socket .s.PGSQL.<listen_port> in that directory, as in PgBouncer; not set "
                + "means PgBouncer's /tmp, empty means none; the abstract namespace (@) is not supported", COMBINED);
        applied("unix_socket_group", (e, o) -> o.top("unix_socket_group", e.value().strip()));
        applied("unix_socket_mode", (e, o) -> o.top("unix_socket_mode", e.value().strip()));
        ignored("user", "pgmux does not switch users; start it as the user it should run as");
        ignored("verbose", "set the level with PGMUX_LOG_LEVEL");
    }

    private PgBouncerSettings() {
    }

    /** Every general setting of PgBouncer 1.25, in its own order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(SETTINGS.keySet());
    }

    /** How {@code name} carries over; {@code null} for a name PgBouncer 1.25 does not have. */
    public static Treatment treatment(String name) {
        Setting setting = find(name);
        return setting == null ? null : setting.treatment();
    }

    /** The note or warning text for {@code name}; empty for applied settings. */
    public static String note(String name) {
        Setting setting = find(name);
        return setting == null ? "" : setting.note();
    }

    /** Settings added after PgBouncer 1.25 (ignored with a warning rather than refused as unknown). */
    static boolean isNewerThan125(String name) {
        return NEWER.contains(name.toLowerCase(Locale.ROOT));
    }

    static Setting find(String name) {
        return SETTINGS.get(name.toLowerCase(Locale.ROOT));
    }

    /** Applies one entry of the [pgbouncer] section, with its note or warning. */
    static void apply(Setting setting, IniEntry entry, ConversionTarget out) {
        switch (setting.treatment()) {
            case IGNORED -> out.warn(entry, setting.note());
            case MAPPED -> {
                setting.apply().accept(entry, out);
                if (setting.apply() != COMBINED && !NOTES_ITSELF.contains(setting.name())) {
                    out.note(entry, setting.note());
                }
            }
            case APPLIED -> setting.apply().accept(entry, out);
        }
    }

    private static void applied(String name, BiConsumer<IniEntry, ConversionTarget> apply) {
        SETTINGS.put(name, new Setting(name, Treatment.APPLIED, "", apply));
    }

    private static void mapped(String name, String note, BiConsumer<IniEntry, ConversionTarget> apply) {
        SETTINGS.put(name, new Setting(name, Treatment.MAPPED, note, apply));
    }

    private static void ignored(String name, String why) {
        SETTINGS.put(name, new Setting(name, Treatment.IGNORED, why, (e, o) -> { }));
    }

    private static void integer(String name, String section, String key, int min) {
        applied(name, (e, o) -> {
            Integer n = IniValues.integer(e, min, o);
            if (n != null) {
                o.in(section, key, n);
            }
        });
    }

    /** A time in seconds under the same top-level key. */
    private static void topSeconds(String name) {
        applied(name, (e, o) -> {
            String d = IniValues.duration(e, o);
            if (d != null) {
                o.top(name, IniValues.yaml(d));
            }
        });
    }

    private static void flag(String name) {
        applied(name, (e, o) -> {
            Boolean on = IniValues.flag(e, o);
            if (on != null) {
                o.top(name, on);
            }
        });
    }

    private static void path(String name) {
        applied(name, (e, o) -> o.top(name, IniValues.path(e)));
    }

    /** A time where 0 means "off" (or "always") in both. */
    private static void seconds(String name, String key) {
        applied(name, (e, o) -> {
            String d = IniValues.duration(e, o);
            if (d != null) {
                o.in("timeouts", key, IniValues.yaml(d));
            }
        });
    }

    /** A time that PgBouncer turns off with 0 and pgmux always enforces: 0 keeps pgmux's default, with a warning. */
    private static void positiveSeconds(String name, String key) {
        SETTINGS.put(name, new Setting(name, Treatment.APPLIED, "0 (no limit in PgBouncer) keeps pgmux's default, "
                + "which always applies, with a warning", (e, o) -> {
            String d = IniValues.duration(e, o);
            if ("0".equals(d)) {
                o.warn(e.where() + ": " + name + " = 0 (no limit) is not available: pgmux keeps its default "
                        + "timeouts." + key + " (see docs/configuration.md)");
            } else if (d != null) {
                o.in("timeouts", key, d);
            }
        }));
    }
}
