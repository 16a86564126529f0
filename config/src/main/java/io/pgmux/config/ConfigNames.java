// Case-insensitive lookup of enum constants by their configuration name, with a message listing the allowed names.
package io.pgmux.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Shared parsing for the enums whose values appear in the configuration as lower-case names. */
final class ConfigNames {

    private ConfigNames() {
    }

    /**
     * Returns the constant whose configuration name equals {@code text} ignoring case.
     *
     * @param where key path, variable or flag to name in the error; {@code null} for a message without a prefix
     * @throws ConfigException listing every allowed name when nothing matches
     */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> configName, String text, String where) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (E value : values) {
            if (configName.apply(value).equals(wanted)) {
                return value;
            }
        }
        String allowed = Arrays.stream(values).map(configName).collect(Collectors.joining(", "));
        String problem = "must be one of " + allowed + ", got '" + text + "'";
        throw where == null ? new ConfigException(problem) : ConfigException.at(where, problem);
    }
}
