package io.pgmux.server.pinning;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.BindHeader;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.Execute;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.Parse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When the session-state effects of an extended-protocol statement happen: a statement runs at each Execute, not
 * at its Parse. A prepared statement can run many times (a named one, or the unnamed one bound again), so what it
 * created after an undo must pin again; and an undo only counts once it was executed. Creation pins early (at
 * Parse and Bind, the safe side); the whole effect, undos included, is counted at each Execute.
 *
 * <p>Only statements and portals with effects are remembered; for every other message (nearly all) this costs
 * one emptiness check. Confined to the client's event loop.
 */
final class PreparedStatementEffects {
    /**
     * By statement name ("" the unnamed one): the effects of running it, in order. Both maps start as the shared
     * empty map (whose remove and clear are no-ops) and become real maps at their first entry: every client keeps
     * this object, few ever prepare a statement with effects.
     */
    private Map<String, List<StateChange>> statements = Collections.emptyMap();
    /** By portal name: the effects of executing it. Portals end with their transaction. */
    private Map<String, List<StateChange>> portals = Collections.emptyMap();

    /**
     * The effects of a client message to record now.
     *
     * @param inspected what {@link StatementInspector} read in it: for a Parse, the effects of running its statement
     */
    List<StateChange> of(ByteBuf frame, List<StateChange> inspected) {
        if (inspected.isEmpty() && statements.isEmpty() && portals.isEmpty()) {
            return inspected; // the usual message
        }
        switch (Frames.type(frame)) {
            case FrontendType.PARSE -> {
                return parsed(Parse.decode(frame).statementName(), inspected);
            }
            case FrontendType.BIND -> {
                BindHeader bind = BindHeader.decode(frame);
                List<StateChange> effects = statements.get(bind.statementName());
                if (effects == null) {
                    portals.remove(bind.portalName());
                    return inspected;
                }
                if (portals.isEmpty()) {
                    portals = new HashMap<>();
                }
                portals.put(bind.portalName(), effects);
                return pins(effects);
            }
            case FrontendType.EXECUTE -> {
                return portals.getOrDefault(Execute.decode(frame).portalName(), inspected);
            }
            case FrontendType.CLOSE -> {
                Close close = Close.decode(frame);
                (close.kind() == Close.STATEMENT ? statements : portals).remove(close.name());
                return inspected;
            }
            case FrontendType.QUERY -> {
                statements.remove(""); // a Query drops the unnamed statement and portal
                portals.remove("");
                return inspected;
            }
            default -> {
                return inspected;
            }
        }
    }

    /** The backend is idle: every portal is gone with the transaction. */
    void transactionEnded() {
        portals.clear();
    }

    /**
     * A Parse pins at once what its statement creates; the rest waits for an Execute. A Parse of the unnamed
     * statement replaces it (even when it fails); a failed second Parse of a name keeps the first statement, so
     * its effects are kept too.
     */
    private List<StateChange> parsed(String name, List<StateChange> inspected) {
        List<StateChange> effects = new ArrayList<>(inspected.size());
        List<StateChange> now = new ArrayList<>(inspected.size());
        for (StateChange change : inspected) {
            if (change.reason() == PinReason.NAMED_PREPARED_STATEMENT) {
                now.add(change); // the statement's own existence, not an effect of running it
            } else {
                effects.add(change);
                if (change.kind() == StateChange.Kind.PIN) {
                    now.add(change);
                }
            }
        }
        if (!effects.isEmpty() && statements.isEmpty()) {
            statements = new HashMap<>();
        }
        if (name.isEmpty()) {
            if (effects.isEmpty()) {
                statements.remove(name);
            } else {
                statements.put(name, effects);
            }
        } else if (!effects.isEmpty()) {
            statements.merge(name, effects, PreparedStatementEffects::concat);
        }
        return now;
    }

    private static List<StateChange> pins(List<StateChange> effects) {
        return effects.stream().filter(c -> c.kind() == StateChange.Kind.PIN).toList();
    }

    private static List<StateChange> concat(List<StateChange> first, List<StateChange> second) {
        List<StateChange> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }
}
