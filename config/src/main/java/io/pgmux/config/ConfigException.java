// The single error type for an invalid pgmux configuration.
package io.pgmux.config;

/**
 * Thrown for any invalid configuration. The message always names where the bad value came from (a key path such as
 * {@code databases.app.port}, an environment variable such as {@code PGMUX_POOL_MODE}, or a flag such as
 * {@code --pool-size}) and the bad value, for example {@code "databases.app.port: must be 1..65535, got 0"}.
 * Unknown keys are errors too ({@code "unknown key 'pool.default_poolsize'"}) so typos are never silently ignored.
 *
 * <p>Hazard: messages never contain passwords, so they are safe to log and print; keep it that way when adding new
 * checks on secret values.
 */
public class ConfigException extends RuntimeException {

    /** Creates an exception whose message is shown to the operator as is. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates an exception whose message is shown to the operator as is, keeping the low-level cause for debugging. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Builds the standard "{@code where: problem}" message. */
    static ConfigException at(String where, String problem) {
        return new ConfigException(where + ": " + problem);
    }
}
