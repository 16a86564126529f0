// Which client simulates the functions and how many threads and connections it may use.
package io.pgmux.loadtest.runner;

import java.util.Locale;

/**
 * How the virtual functions are simulated.
 *
 * @param kind        {@code netty} (non-blocking, for scale), {@code jdbc} (a pgjdbc connection per function, for
 *                    fidelity) or {@code hikari} (long-lived app servers with HikariCP pools, the baseline)
 * @param threads     event loops for netty; worker threads for jdbc (the most functions in flight)
 * @param appServers  hikari only: app servers, each with its own pool
 * @param appPoolSize hikari only: connections per app server
 * @param maxInFlight functions allowed in flight at once; arrivals beyond wait (a safety limit of this tool)
 */
public record ClientSettings(String kind, int threads, int appServers, int appPoolSize, int maxInFlight) {
    public ClientSettings {
        kind = kind.toLowerCase(Locale.ROOT);
        if (!kind.equals("netty") && !kind.equals("jdbc") && !kind.equals("hikari")) {
            throw new IllegalArgumentException("client must be netty, jdbc or hikari: " + kind);
        }
        if (threads < 1 || appServers < 1 || appPoolSize < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("threads, app servers, pool size and max in flight must be positive");
        }
    }

    /** Defaults: netty on two event loops, 4 app servers of 10 connections for hikari, at most 50,000 in flight. */
    public static ClientSettings defaults(String kind) {
        int threads = kind.equalsIgnoreCase("jdbc") ? 1000 : 2;
        return new ClientSettings(kind, threads, 4, 10, 50_000);
    }
}
