// One leaf value of the configuration tree, together with where it came from.
package io.pgmux.config;

/**
 * A single value before it is converted to its Java type.
 *
 * @param text   the value as written, or {@code null} for an explicit YAML null (treated as "not set")
 * @param origin what to name in error messages: a key path for the file, a variable name or a flag otherwise
 */
record ConfigScalar(String text, String origin) {
}
