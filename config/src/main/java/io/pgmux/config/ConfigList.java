// A list of single values in the configuration tree, together with where it came from.
package io.pgmux.config;

import java.util.List;

/**
 * A YAML sequence of scalars before its items are converted. Only keys that document a list accept one; every other
 * key reports it as an error naming {@link #origin()} and {@link #sourceLine()}.
 *
 * @param items      the item texts as written, in order; never {@code null} items
 * @param origin     the key path to name in error messages
 * @param sourceLine where the list starts, e.g. {@code "pgmux.yaml line 7"}
 */
record ConfigList(List<String> items, String origin, String sourceLine) {

    ConfigList {
        items = List.copyOf(items);
    }
}
