// Counts failed client logins by reason.
package io.pgmux.server.auth;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed client logins, counted by {@link Reason}, for the metrics endpoint. The reasons are for operators only:
 * clients see the same 28P01 for an unknown user and a wrong password. Thread-safe; counting is a LongAdder
 * increment, so it stays cheap in a storm of bad logins.
 */
public final class AuthFailures {

    /** Why a login failed; the metric tag is {@link #tag()}. */
    public enum Reason {
        /** The user exists and the password or proof was wrong. */
        WRONG_PASSWORD("wrong_password"),
        /** No such user (the client was told "password authentication failed"). */
        UNKNOWN_USER("unknown_user"),
        /** No hba rule matched the connection. */
        NO_HBA_ENTRY("no_hba_entry"),
        /** An hba rule with method reject matched. */
        HBA_REJECT("hba_reject"),
        /** TLS was required (client_tls_sslmode, hostssl, or the password method) and not used. */
        TLS_REQUIRED("tls_required"),
        /** The client certificate's name did not match the user (verify-full). */
        CERTIFICATE("certificate"),
        /** The database is not configured. */
        UNKNOWN_DATABASE("unknown_database"),
        /** Malformed or out-of-order authentication messages. */
        PROTOCOL("protocol");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    public AuthFailures() {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    public void record(Reason reason) {
        counts.get(reason).increment();
    }

    /** Failures so far for {@code reason}. */
    public long count(Reason reason) {
        return counts.get(reason).sum();
    }
}
