// What pgmux does with one PgBouncer setting.
package io.pgmux.config.pgbouncer;

/** How a PgBouncer setting carries over; the migration guide's table uses the same three words. */
public enum Treatment {
    /** The same meaning under a pgmux key, copied as it is (times get a unit). */
    APPLIED,
    /** Translated into pgmux's terms; the conversion prints a note saying how. */
    MAPPED,
    /** No effect in pgmux; the conversion prints a warning naming the setting and why. */
    IGNORED
}
