// Typed reads of one configuration mapping, with defaults and key-path error messages.
package io.pgmux.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a {@link ConfigNode}. An absent or null key yields the given fallback; a present value
 * is validated and every error names the value's origin (its key path, variable or flag).
 */
final class SectionReader {

    private final ConfigNode node;

    SectionReader(ConfigNode node) {
        this.node = node;
    }

    ConfigNode node() {
        return node;
    }

    /** The text of {@code key}, or {@code fallback} when not set. */
    String string(String key, String fallback) {
        ConfigScalar scalar = node.scalar(key);
        return isSet(scalar) ? scalar.text() : fallback;
    }

    /** The non-blank text of {@code key}; fails with {@code "path.key: is required"} when missing or blank. */
    String requiredString(String key) {
        ConfigScalar scalar = node.scalar(key);
        if (!isSet(scalar)) {
            throw ConfigException.at(node.pathOf(key), "is required");
        }
        if (scalar.text().isBlank()) {
            throw ConfigException.at(scalar.origin(), "must not be empty");
        }
        return scalar.text();
    }

    /** An integer within {@code min..max}, or {@code fallback} when not set. */
    int integer(String key, int fallback, int min, int max) {
        Integer value = optionalInteger(key, min, max);
        return value == null ? fallback : value;
    }

    /** An integer within {@code min..max}, or {@code null} when not set. */
    Integer optionalInteger(String key, int min, int max) {
        ConfigScalar scalar = node.scalar(key);
        return isSet(scalar) ? IntegerValues.parse(scalar.text(), scalar.origin(), min, max) : null;
    }

    /** A duration, or {@code fallback} when not set; {@code zeroAllowed} where 0 documents "disabled". */
    Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        ConfigScalar scalar = node.scalar(key);
        return isSet(scalar) ? Durations.parse(scalar.text(), scalar.origin(), zeroAllowed) : fallback;
    }

    /** An address, or {@code fallback} when not set. */
    HostPort hostPort(String key, HostPort fallback) {
        ConfigScalar scalar = node.scalar(key);
        return isSet(scalar) ? HostPort.parse(scalar.text(), scalar.origin()) : fallback;
    }

    /** A value converted by {@code parser(text, origin)} (e.g. {@code PoolMode::parse}), or {@code fallback}. */
    <T> T choice(String key, T fallback, BiFunction<String, String, T> parser) {
        ConfigScalar scalar = node.scalar(key);
        return isSet(scalar) ? parser.apply(scalar.text(), scalar.origin()) : fallback;
    }

    /**
     * A list of names each matching {@code pattern}, or {@code fallback} when not set; duplicates are dropped and
     * the first spelling kept. {@code what} describes one valid name in the error, e.g. "a parameter name".
     */
    List<String> names(String key, List<String> fallback, Pattern pattern, String what) {
        ConfigList list = node.list(key);
        if (list == null) {
            return fallback;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String item : list.items()) {
            String name = item.trim();
            if (!pattern.matcher(name).matches()) {
                throw ConfigException.at(list.origin(), "must be " + what + ", got '" + item + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** Where the value of {@code key} came from, for cross-field errors; the key path when not set. */
    String originOf(String key) {
        ConfigScalar scalar = node.scalar(key);
        return scalar == null ? node.pathOf(key) : scalar.origin();
    }

    /** Ends reading: any key not asked for is a typo. */
    void finish() {
        node.rejectUnknownKeys();
    }

    private static boolean isSet(ConfigScalar scalar) {
        return scalar != null && scalar.text() != null;
    }
}
