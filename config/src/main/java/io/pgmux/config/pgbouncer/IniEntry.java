// One "key = value" line of a PgBouncer ini file, with the file and line it came from.
package io.pgmux.config.pgbouncer;

import java.nio.file.Path;

/**
 * A setting as written in a PgBouncer ini file.
 *
 * @param section the section it appears in, lower case ({@code pgbouncer}, {@code databases}, {@code users}, ...)
 * @param key     the key as written (database and user names keep their case)
 * @param value   the value with surrounding blanks removed; may be empty
 * @param where   {@code "FILE line N"}, for warnings and errors
 * @param file    the file it was read from: file names in values are taken from its directory
 */
public record IniEntry(String section, String key, String value, String where, Path file) {
}
