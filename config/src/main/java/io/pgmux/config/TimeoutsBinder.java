// Binds the `timeouts` section to Timeouts.
package io.pgmux.config;

/** Reads and validates the {@code timeouts} section; only settings that document a meaning for 0 accept it. */
final class TimeoutsBinder {

    private static final boolean ZERO_MEANS_OFF = true;
    /** For server_check_delay, 0 means "check before every lending". */
    private static final boolean ZERO_MEANS_ALWAYS = true;
    private static final boolean POSITIVE = false;

    private TimeoutsBinder() {
    }

    static Timeouts bind(ConfigNode section) {
        Timeouts d = Timeouts.defaults();
        SectionReader r = new SectionReader(section);
        Timeouts timeouts = new Timeouts(
                r.duration("client_login_timeout", d.clientLoginTimeout(), POSITIVE),
                r.duration("query_wait_timeout", d.queryWaitTimeout(), POSITIVE),
                r.duration("server_connect_timeout", d.serverConnectTimeout(), POSITIVE),
                r.duration("server_idle_timeout", d.serverIdleTimeout(), POSITIVE),
                r.duration("server_lifetime", d.serverLifetime(), POSITIVE),
                r.duration("server_login_retry", d.serverLoginRetry(), POSITIVE),
                r.duration("client_idle_timeout", d.clientIdleTimeout(), ZERO_MEANS_OFF),
                r.duration("idle_transaction_timeout", d.idleTransactionTimeout(), ZERO_MEANS_OFF),
                r.duration("query_timeout", d.queryTimeout(), ZERO_MEANS_OFF),
                r.duration("shutdown_timeout", d.shutdownTimeout(), POSITIVE),
                r.duration("query_wait_notify", d.queryWaitNotify(), ZERO_MEANS_OFF),
                r.duration("server_check_delay", d.serverCheckDelay(), ZERO_MEANS_ALWAYS),
                r.duration("transaction_timeout", d.transactionTimeout(), ZERO_MEANS_OFF));
        r.finish();
        return timeouts;
    }
}
