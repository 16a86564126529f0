// How long a client keeps a server connection: for its whole session, one transaction, or one statement.
package io.pgmux.config;

import java.util.Locale;

/**
 * The pooling mode, written in the configuration as {@code session}, {@code transaction} or {@code statement}.
 * <ul>
 *   <li>{@link #SESSION}: a client owns one server connection until it disconnects.</li>
 *   <li>{@link #TRANSACTION}: a server connection is lent for one transaction, then returned to the pool.</li>
 *   <li>{@link #STATEMENT}: a server connection is lent for one statement; multi-statement transactions are refused.</li>
 * </ul>
 */
public enum PoolMode {
    SESSION,
    TRANSACTION,
    STATEMENT;

    /**
     * Parses a configuration name, ignoring case.
     *
     * @throws ConfigException listing the allowed values, e.g. {@code "must be one of session, transaction, statement, got 'x'"}
     */
    public static PoolMode parse(String text) {
        return parse(text, null);
    }

    /** Like {@link #parse(String)}, but the error message starts with {@code where} (a key path, variable or flag). */
    public static PoolMode parse(String text, String where) {
        return ConfigNames.parse(values(), PoolMode::configName, text, where);
    }

    /** The name used in configuration files: {@code "session"}, {@code "transaction"} or {@code "statement"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
