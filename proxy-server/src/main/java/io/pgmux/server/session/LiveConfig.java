package io.pgmux.server.session;

import io.pgmux.config.PgmuxConfig;
import io.pgmux.server.auth.Credentials;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configuration in force and the credentials derived from it, swapped together by a reload so that a login
 * never sees the passwords of one file and the users of another. Readers take one snapshot per decision.
 */
public final class LiveConfig {
    private record Generation(PgmuxConfig config, Credentials credentials) {
    }

    private final AtomicReference<Generation> current;

    public LiveConfig(PgmuxConfig config) {
        current = new AtomicReference<>(new Generation(config, new Credentials(config)));
    }

    public PgmuxConfig config() {
        return current.get().config();
    }

    public Credentials credentials() {
        return current.get().credentials();
    }

    /** Puts {@code next} in force; returns the configuration it replaced. */
    public PgmuxConfig swap(PgmuxConfig next) {
        Generation previous = current.getAndSet(new Generation(next, new Credentials(next)));
        // Stops the replaced auth_query lookups; a login that was waiting on one fails like a failed lookup.
        previous.credentials().close();
        return previous.config();
    }
}
