// Binds the top-level tcp_* keys to TcpKeepalive.
package io.pgmux.config;

/** Reads PgBouncer's keepalive keys from the top level; times accept 0 for "the operating system's". */
final class TcpKeepaliveBinder {

    private TcpKeepaliveBinder() {
    }

    static TcpKeepalive bind(SectionReader r) {
        TcpKeepalive d = TcpKeepalive.defaults();
        return new TcpKeepalive(
                r.choice("tcp_keepalive", d.enabled(), LogSettingsBinder::bool),
                r.duration("tcp_keepidle", d.idle(), true),
                r.duration("tcp_keepintvl", d.interval(), true),
                r.integer("tcp_keepcnt", d.count(), 0, 1000),
                r.duration("tcp_user_timeout", d.userTimeout(), true));
    }
}
