// The prepared statements pgmux created on one server connection, least recently used first.
package io.pgmux.pool;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The names of the prepared statements pgmux created on one server connection, in least-recently-used order. It
 * mirrors the server as of the messages sent to it, not yet answered: a holder that sends a Parse adds the name at
 * once and removes it again if the server turns the Parse down or skips it after an earlier error.
 *
 * <p>Threading: like the rest of {@link ServerConnection}'s session state, only the current holder touches it.
 */
public final class BackendStatements {
    private final LinkedHashMap<String, Boolean> names = new LinkedHashMap<>(16, 0.75f, true);

    /** Whether the statement exists on the server; a hit makes it the most recently used. */
    public boolean contains(String name) {
        return names.get(name) != null;
    }

    /**
     * Records a statement about to be created. When {@code capacity} statements exist already, the least recently
     * used one is forgotten and returned: the caller must close it on the server.
     *
     * @return the evicted name, or null
     */
    public String add(String name, int capacity) {
        String evicted = null;
        if (names.size() >= capacity && !names.containsKey(name)) {
            Iterator<String> eldest = names.keySet().iterator();
            evicted = eldest.next();
            eldest.remove();
        }
        names.put(name, Boolean.TRUE);
        return evicted;
    }

    public void remove(String name) {
        names.remove(name);
    }

    /** After DISCARD ALL or DEALLOCATE ALL: the server has none of them any more. */
    public void clear() {
        names.clear();
    }

    public int size() {
        return names.size();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }
}
