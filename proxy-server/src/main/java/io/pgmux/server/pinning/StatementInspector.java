package io.pgmux.server.pinning;

import io.netty.buffer.ByteBuf;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.Parse;
import io.pgmux.protocol.Query;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Looks at the client messages that can change session state (Query, Parse, Close, FunctionCall) and says how,
 * for transaction and statement pooling. Every other message type costs a few comparisons.
 */
final class StatementInspector {
    private final Set<String> reported;
    private final Set<String> tracked;
    private final boolean statementsFollowClient;

    /**
     * @param reportedParameters     what the pool's backends report at login (their names are matched lower-cased)
     * @param trackedParameters      track_extra_parameters, lower case
     * @param statementsFollowClient named prepared statements are re-created on each backend the client is given
     *                               (max_prepared_statements > 0), so they need no pin
     */
    StatementInspector(Map<String, String> reportedParameters, Set<String> trackedParameters,
                       boolean statementsFollowClient) {
        this.reported = reportedParameters.keySet().stream().map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.tracked = trackedParameters;
        this.statementsFollowClient = statementsFollowClient;
    }

    /** Inspectors hold no client state: one per configuration serves every client (thousands of them). */
    private static final Map<List<Object>, StatementInspector> SHARED = new ConcurrentHashMap<>();

    /**
     * The inspector for these settings, shared by every client that has them.
     *
     * @param reportedParameters what the pool's backends report at login
     * @param trackedParameters  track_extra_parameters, lower case
     */
    static StatementInspector shared(Map<String, String> reportedParameters, List<String> trackedParameters,
                                     boolean statementsFollowClient) {
        LastShared last = lastShared;
        if (last != null && last.reported == reportedParameters && last.names == reportedParameters.size()
                && last.tracked == trackedParameters && last.statementsFollowClient == statementsFollowClient) {
            return last.inspector; // the same pool's parameters and configuration as the previous login: no hashing
        }
        StatementInspector found = lookUp(reportedParameters, trackedParameters, statementsFollowClient);
        lastShared = new LastShared(reportedParameters, reportedParameters.size(), trackedParameters,
                statementsFollowClient, found);
        return found;
    }

    /**
     * The arguments and result of the latest {@link #shared} call. Logins pass the same map (the pool's) and list
     * (the configuration's) instances again and again, so comparing identities spares hashing a dozen parameter
     * names per login; any other instance takes the map. The pool's map never changes; a backend's own map (the
     * first client of a pool logs in through one) gains names only as the server reports new ones, hence the size.
     */
    private record LastShared(Map<String, String> reported, int names, List<String> tracked,
                              boolean statementsFollowClient, StatementInspector inspector) {
    }

    private static volatile LastShared lastShared;

    private static StatementInspector lookUp(Map<String, String> reportedParameters, List<String> trackedParameters,
                                             boolean statementsFollowClient) {
        List<Object> key = List.of(reportedParameters.keySet(), trackedParameters, statementsFollowClient);
        StatementInspector inspector = SHARED.get(key);
        if (inspector == null) {
            inspector = new StatementInspector(reportedParameters, Set.copyOf(trackedParameters),
                    statementsFollowClient);
            // Copied key: the map view must not keep changing under the cache. Few distinct keys ever exist
            // (one per server version and configuration), so the cache needs no bound.
            SHARED.putIfAbsent(List.of(Set.copyOf(reportedParameters.keySet()), List.copyOf(trackedParameters),
                    statementsFollowClient), inspector);
        }
        return inspector;
    }

    /** What the message does to session state; empty for messages that do nothing to it. */
    List<StateChange> inspect(ByteBuf frame) {
        byte type = Frames.type(frame);
        if (type == FrontendType.QUERY) {
            int start = Frames.bodyStart(frame);
            int end = start + Frames.bodyLength(frame) - 1; // the terminating NUL
            if (end >= start && frame.getByte(end) == 0 && PlainStatementScan.isPlain(frame, start, end)) {
                return List.of();
            }
            return SessionStateDetector.changes(Query.sql(frame), reported, tracked);
        }
        if (type == FrontendType.PARSE && isPlainParse(frame)) {
            return List.of();
        }
        if (type == FrontendType.PARSE) {
            Parse parse = Parse.decode(frame);
            List<StateChange> changes = SessionStateDetector.changes(parse.query(), reported, tracked);
            if (!parse.statementName().isEmpty() && !statementsFollowClient) {
                changes.add(0, StateChange.pin(PinReason.NAMED_PREPARED_STATEMENT, parse.statementName()));
            }
            return changes;
        }
        if (type == FrontendType.FUNCTION_CALL) {
            return FastPathCalls.changes(frame);
        }
        if (type == FrontendType.CLOSE && !statementsFollowClient) {
            Close close = Close.decode(frame);
            if (close.kind() == 'S' && !close.name().isEmpty()) {
                return List.of(StateChange.unpin(PinReason.NAMED_PREPARED_STATEMENT, close.name()));
            }
        }
        return List.of();
    }

    /** A Parse whose text is plain and whose name, if any, needs no pin. Malformed ones go the long way. */
    private boolean isPlainParse(ByteBuf frame) {
        int start = Frames.bodyStart(frame);
        int end = start + Frames.bodyLength(frame);
        int nameEnd = frame.indexOf(start, end, (byte) 0);
        if (nameEnd < 0 || nameEnd > start && !statementsFollowClient) {
            return false;
        }
        int queryEnd = frame.indexOf(nameEnd + 1, end, (byte) 0);
        return queryEnd >= 0 && PlainStatementScan.isPlain(frame, nameEnd + 1, queryEnd);
    }

    /** The text that caused a pin, for the log line. */
    static String statementText(ByteBuf frame) {
        byte type = Frames.type(frame);
        String sql = type == FrontendType.QUERY ? Query.sql(frame)
                : type == FrontendType.PARSE ? Parse.decode(frame).query() : FrontendType.name(type);
        return sql.length() > 80 ? sql.substring(0, 80) : sql;
    }
}
