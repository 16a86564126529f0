// A mutable mapping of the raw configuration tree that tracks key paths and which keys were read.
package io.pgmux.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of the raw tree built from YAML, environment variables and flags. Entries are
 * {@link ConfigScalar}s, {@link ConfigList}s or nested {@code ConfigNode}s. Binders read entries by key; every key they ask for, present
 * or not, is remembered as known, so {@link #rejectUnknownKeys()} can report typos without a separate key list.
 * Only used while loading, on one thread.
 */
final class ConfigNode {

    private final String path;
    private final Map<String, Object> entries = new LinkedHashMap<>();
    private final Set<String> knownKeys = new LinkedHashSet<>();

    ConfigNode(String path) {
        this.path = path;
    }

    /** An empty root mapping. */
    static ConfigNode root() {
        return new ConfigNode("");
    }

    /** The dotted key path of this mapping, empty for the root. */
    String path() {
        return path;
    }

    /** The dotted key path of {@code key} inside this mapping. */
    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Keys present in this mapping, in definition order. */
    List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** Marks keys as known without reading them, for a binder that reports its own errors for them. */
    void markKnown(List<String> keys) {
        knownKeys.addAll(keys);
    }

    /** Sets (or replaces) a leaf value. */
    void putScalar(String key, String text, String origin) {
        entries.put(key, new ConfigScalar(text, origin));
    }

    /** Sets (or replaces) a list of single values. */
    void putList(String key, ConfigList list) {
        entries.put(key, list);
    }

    /** Sets (or replaces) a nested mapping; replacing keeps the original position of the key. */
    void putNode(String key, ConfigNode child) {
        entries.put(key, child);
    }

    /**
     * The nested mapping under {@code key} for an overlay to write into, created if absent or null.
     *
     * @throws ConfigException if the key holds a non-null single value
     */
    ConfigNode childForWrite(String key) {
        Object entry = entries.get(key);
        if (entry instanceof ConfigNode node) {
            return node;
        }
        requireNullOrAbsent(key, entry);
        ConfigNode child = new ConfigNode(pathOf(key));
        entries.put(key, child);
        return child;
    }

    /**
     * Reads a single value; {@code null} when the key is absent. Marks the key as known.
     *
     * @throws ConfigException if the key holds a mapping or a list
     */
    ConfigScalar scalar(String key) {
        knownKeys.add(key);
        Object entry = entries.get(key);
        if (entry instanceof ConfigNode) {
            throw ConfigException.at(pathOf(key), "must be a single value, got a mapping");
        }
        if (entry instanceof ConfigList list) {
            throw notHere(list);
        }
        return (ConfigScalar) entry;
    }

    /**
     * Reads a key that documents a list: a list as given, a single value as a one-source list of comma-separated
     * items (so an environment variable or flag can set it too), {@code null} when absent or null. Marks the key as
     * known.
     *
     * @throws ConfigException if the key holds a mapping
     */
    ConfigList list(String key) {
        knownKeys.add(key);
        Object entry = entries.get(key);
        if (entry instanceof ConfigNode) {
            throw ConfigException.at(pathOf(key), "must be a list, got a mapping");
        }
        if (entry instanceof ConfigScalar scalar) {
            return scalar.text() == null ? null : new ConfigList(splitCommas(scalar.text()), scalar.origin(),
                    scalar.origin());
        }
        return (ConfigList) entry;
    }

    /**
     * Reads a nested mapping; an absent or null key gives an empty mapping. Marks the key as known.
     *
     * @throws ConfigException if the key holds a non-null single value
     */
    ConfigNode section(String key) {
        knownKeys.add(key);
        Object entry = entries.get(key);
        if (entry instanceof ConfigNode node) {
            return node;
        }
        requireNullOrAbsent(key, entry);
        return new ConfigNode(pathOf(key));
    }

    /**
     * Fails on the first key that no binder asked for.
     *
     * @throws ConfigException {@code "unknown key 'pool.default_poolsize'; did you mean 'default_pool_size'?"}
     */
    void rejectUnknownKeys() {
        for (String key : entries.keySet()) {
            if (!knownKeys.contains(key)) {
                throw new ConfigException("unknown key '" + pathOf(key) + "'" + KeySuggestions.hint(key, knownKeys));
            }
        }
    }

    private void requireNullOrAbsent(String key, Object entry) {
        if (entry instanceof ConfigScalar scalar && scalar.text() != null) {
            throw ConfigException.at(scalar.origin(), "must be a mapping of keys, got '" + scalar.text() + "'");
        }
        if (entry instanceof ConfigList list) {
            throw notHere(list);
        }
    }

    private static ConfigException notHere(ConfigList list) {
        return ConfigException.at(list.origin(), "lists are not supported here (" + list.sourceLine() + ")");
    }

    private static List<String> splitCommas(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
