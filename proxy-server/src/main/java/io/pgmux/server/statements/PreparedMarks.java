// A mark on some of a client's prepared statements, followed to the portals bound to them.
package io.pgmux.server.statements;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What pgmux must remember about a few of a client's prepared statements (e.g. "this one is a relayed LISTEN", "this
 * one is a SAVEPOINT"), and so about the portals bound to them, so that each Execute is known for what it runs:
 * statements by name ("" the unnamed one), portals by name, following Parse, Bind and Close as PostgreSQL does.
 *
 * <p>Both maps stay the shared empty map until their first entry (its remove and clear do nothing): every client
 * keeps one of these per kind of mark, and nearly none ever has a marked statement. Confined to the client's event
 * loop.
 *
 * @param <T> the mark
 */
public final class PreparedMarks<T> {
    private Map<String, T> statements = Collections.emptyMap();
    private Map<String, T> portals = Collections.emptyMap();

    /** Whether nothing is marked: no statement, no portal. */
    public boolean isEmpty() {
        return statements.isEmpty() && portals.isEmpty();
    }

    /** Whether any prepared statement is marked. */
    public boolean hasStatements() {
        return !statements.isEmpty();
    }

    /** Whether any portal is bound to a marked statement. */
    public boolean hasPortals() {
        return !portals.isEmpty();
    }

    /** The client prepares {@code name}: marked {@code mark}, or (null) as anything else, which drops a mark. */
    public void prepared(String name, T mark) {
        if (mark == null) {
            statements.remove(name);
            return;
        }
        if (statements.isEmpty()) {
            statements = new HashMap<>();
        }
        statements.put(name, mark);
    }

    /** The client binds {@code portal} to {@code statement}: the portal carries the statement's mark, if any. */
    public void bound(String portal, String statement) {
        T mark = statements.get(statement);
        if (mark == null) {
            portals.remove(portal);
            return;
        }
        if (portals.isEmpty()) {
            portals = new HashMap<>();
        }
        portals.put(portal, mark);
    }

    /** The client closes a statement ({@code statement} true) or a portal. */
    public void closed(boolean statement, String name) {
        (statement ? statements : portals).remove(name);
    }

    /** The mark of the portal the client executes, or null. */
    public T executes(String portal) {
        return portals.get(portal);
    }
}
