// The pgmux configuration tree being built from a PgBouncer ini file, and what the conversion has to say about it.
package io.pgmux.config.pgbouncer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered tree of pgmux keys (mappings, texts, numbers, lists) plus three lists of findings: notes (a setting
 * was translated, not copied), warnings (a setting has no effect in pgmux) and errors (the file cannot be used).
 * Every finding starts with where the setting was written and names it. Used on one thread, while converting.
 */
final class ConversionTarget {

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> errors;

    ConversionTarget(List<String> errors) {
        this.errors = errors;
    }

    /** Sets a top-level key. */
    void top(String key, Object value) {
        root.put(key, value);
    }

    /** Sets {@code section.key}, for the {@code pool} and {@code timeouts} sections. */
    void in(String section, String key, Object value) {
        mapping(root, section).put(key, value);
    }

    /** Sets {@code databases.NAME.key} or {@code users.NAME.key}; names may hold dots, so they are not paths. */
    void entry(String section, String name, String key, Object value) {
        mapping(mapping(root, section), name).put(key, value);
    }

    /** Makes sure {@code section.name} exists, even without keys. */
    void entry(String section, String name) {
        mapping(mapping(root, section), name);
    }

    boolean has(String section, String key) {
        return root.get(section) instanceof Map<?, ?> map && map.containsKey(key);
    }

    /** True when some {@code section.NAME} (a database or a user) has {@code key}. */
    boolean anyEntryHas(String section, String key) {
        return root.get(section) instanceof Map<?, ?> entries && entries.values().stream()
                .anyMatch(entry -> entry instanceof Map<?, ?> keys && keys.containsKey(key));
    }

    boolean hasTop(String key) {
        return root.containsKey(key);
    }

    /** A top-level value set so far, or null. */
    Object topValue(String key) {
        return root.get(key);
    }

    void note(IniEntry entry, String text) {
        notes.add(entry.where() + ": " + entry.key() + ": " + text);
    }

    /** A note already starting with where the setting was written. */
    void note(String text) {
        notes.add(text);
    }

    void warn(IniEntry entry, String text) {
        warnings.add(entry.where() + ": " + entry.key() + " is ignored: " + text);
    }

    void warn(String text) {
        warnings.add(text);
    }

    void error(IniEntry entry, String text) {
        errors.add(entry.where() + ": " + entry.key() + ": " + text);
    }

    void error(String text) {
        errors.add(text);
    }

    Map<String, Object> tree() {
        return root;
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }
}
