// The result of converting a PgBouncer ini file: pgmux YAML and what the conversion has to say.
package io.pgmux.config.pgbouncer;

import java.util.List;

/**
 * A converted configuration.
 *
 * @param yaml     pgmux YAML that {@code --config} accepts, starting with the notes and warnings as comments
 * @param notes    settings translated rather than copied, each naming the setting and where it was written
 * @param warnings settings that have no effect in pgmux, each naming the setting and where it was written
 */
public record PgBouncerConversion(String yaml, List<String> notes, List<String> warnings) {

    public PgBouncerConversion {
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
    }
}
