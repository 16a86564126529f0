// Collects the problems of a configuration so that all of them are reported at once.
package io.pgmux.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs independent reads of the configuration, keeps going past the ones that fail, and reports every failure in
 * one {@link ConfigException}: an operator fixes a file in one pass instead of one error per start. A failed read
 * yields its fallback so the reads after it can run; nothing built from fallbacks is ever used, since
 * {@link #throwIfAny()} runs before the configuration is returned.
 */
final class ConfigErrors {
    private final List<String> messages = new ArrayList<>();

    /** The value {@code read} gives, or {@code fallback} after recording its error. */
    <T> T attempt(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigException e) {
            messages.add(e.getMessage());
            return fallback;
        }
    }

    /** Runs a check; false after recording its error. */
    boolean check(Runnable check) {
        try {
            check.run();
            return true;
        } catch (ConfigException e) {
            messages.add(e.getMessage());
            return false;
        }
    }

    boolean any() {
        return !messages.isEmpty();
    }

    /**
     * @throws ConfigException with the one message as it is, or {@code "N configuration errors:"} and one indented
     *                         line per error
     */
    void throwIfAny() {
        if (messages.size() == 1) {
            throw new ConfigException(messages.get(0));
        }
        if (messages.size() > 1) {
            throw new ConfigException(messages.size() + " configuration errors:\n  " + String.join("\n  ", messages));
        }
    }
}
