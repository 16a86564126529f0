// Typed, strict access to one mapping of a scenario YAML file, naming the key path in every error.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.arrival.Durations;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads values with defaults and rejects unknown keys, so a typo in a scenario is an error, not a silent default. */
final class YamlMap {
    private final Map<String, Object> values;
    private final String path;

    YamlMap(Object node, String path) {
        if (!(node instanceof Map)) {
            throw new IllegalArgumentException(path + ": expected a mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) node;
        this.values = map;
        this.path = path;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    long number(String key, long fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        throw new IllegalArgumentException(where(key) + ": expected a whole number, got " + v);
    }

    double decimal(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw new IllegalArgumentException(where(key) + ": expected a number, got " + v);
    }

    /** A duration such as {@code 10s} or {@code 250ms}; a bare number means seconds. */
    long millis(String key, long fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parseMillis(v.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(key) + ": " + e.getMessage(), e);
        }
    }

    YamlMap map(String key) {
        Object v = values.get(key);
        return v == null ? null : new YamlMap(v, where(key));
    }

    List<YamlMap> list(String key) {
        Object v = values.get(key);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(where(key) + ": expected a list");
        }
        List<?> items = (List<?>) v;
        YamlMap[] maps = new YamlMap[items.size()];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = new YamlMap(items.get(i), where(key) + "[" + i + "]");
        }
        return List.of(maps);
    }

    /** Fails if the mapping has a key outside {@code allowed}. */
    void allowOnly(String... allowed) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(Set.of(allowed));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(path + ": unknown key(s) " + unknown + "; allowed: " + List.of(allowed));
        }
    }

    String where(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
