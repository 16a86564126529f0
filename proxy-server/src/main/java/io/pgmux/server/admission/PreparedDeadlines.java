// SET and RESET of pgmux.wait_deadline in the extended protocol, answered by pgmux as it answers them in a Query.
package io.pgmux.server.admission;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pgmux.protocol.BackendMessages;
import io.pgmux.protocol.BindHeader;
import io.pgmux.protocol.Close;
import io.pgmux.protocol.Describe;
import io.pgmux.protocol.Execute;
import io.pgmux.protocol.Frames;
import io.pgmux.protocol.FrontendType;
import io.pgmux.protocol.Parse;
import io.pgmux.protocol.PgException;
import io.pgmux.protocol.Severity;
import io.pgmux.protocol.SqlState;
import io.pgmux.server.requests.RequestQueue;
import io.pgmux.server.requests.Undo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One client's prepared statements whose text is {@code SET pgmux.wait_deadline = ...}, {@code RESET
 * pgmux.wait_deadline} or {@code SHOW pgmux.wait_deadline}, and the portal bound to one, answered by pgmux with what
 * PostgreSQL would send: ParseComplete, BindComplete, ParameterDescription and NoData (a RowDescription for SHOW),
 * then SET or RESET at the Execute, which applies the change (SHOW: a DataRow with the client's deadline). Drivers
 * such as pgjdbc send every statement this way (Parse, Bind, Describe, Execute, Sync), and after a few executions
 * under a name of their own; sent on, PostgreSQL would accept the custom setting and ignore it.
 *
 * <p>Like the Query, a Parse is taken only while the client has nothing in flight and no transaction open (see
 * {@code answersAlone}); a bad value is refused there with 22023, so an Execute never fails. Once taken, the
 * statement is pgmux's, and so are its Binds, Describes, Executes and Close whenever they come: PostgreSQL never
 * saw it. A Parse that reuses the name of one is refused with 42P05 as PostgreSQL would. {@code SET LOCAL} is
 * left to PostgreSQL: it would last only until the end of a transaction, during which the client already holds a
 * server connection, so it has nothing to act on. A client's DEALLOCATE ALL or DISCARD ALL leaves these statements
 * be: they are not PostgreSQL's, and only a Close ends one.
 *
 * <p>Made on the client's first such Parse; confined to the client's event loop.
 */
public final class PreparedDeadlines {
    /** More named statements than this go to PostgreSQL instead: no client has a reason to keep many. */
    private static final int MAX_NAMED = 16;

    /** What the session does when an Execute of one of these statements is answered. */
    @FunctionalInterface
    public interface Target {
        /**
         * Applies {@code change} to the client's deadline.
         *
         * @return how to take it back should the answer be skipped (an earlier error of the same batch)
         */
        Undo apply(DeadlineStatements.Change change);
    }

    /** PostgreSQL's oid of text, the type of SHOW's one column. */
    private static final int TEXT = 25;

    private final ByteBufAllocator alloc;
    private final Target target;
    /** The client's deadline as SHOW gives it. */
    private final Supplier<String> shown;
    /** Named statements pgmux prepared, by name. */
    private final Map<String, DeadlineStatements.Change> named = new HashMap<>(4);
    /** The unnamed statement, when it is one of these. */
    private DeadlineStatements.Change unnamed;
    /** The portal bound to one of these statements, and its name. */
    private DeadlineStatements.Change portal;
    private String portalName;
    /** While messages queue for a batch answered without a backend: its last Parse is one of these. */
    private boolean batchParsed;

    public PreparedDeadlines(ByteBufAllocator alloc, Target target, Supplier<String> shown) {
        this.alloc = alloc;
        this.target = target;
        this.shown = shown;
    }

    /** The RowDescription of {@code SHOW pgmux.wait_deadline}: one text column named after the setting. */
    public static ByteBuf showColumns(ByteBufAllocator alloc) {
        return BackendMessages.rowDescription(alloc, List.of("pgmux.wait_deadline"), List.of(TEXT));
    }

    /**
     * Whether {@code frame}, a Parse, prepares a SET or RESET of pgmux.wait_deadline. Other statements cost a few
     * byte reads and no allocation.
     */
    public static boolean prepares(ByteBuf frame) {
        return change(frame) != null;
    }

    /**
     * Whether a message queued while the client holds no backend could be answered here, without one; the exact
     * check is made when it is answered ({@link #answer}), and what is not answered then goes to a backend.
     */
    public boolean answersWithoutServer(ByteBuf frame, byte type) {
        return switch (type) {
            case FrontendType.PARSE -> batchParsed = prepares(frame);
            case FrontendType.BIND, FrontendType.DESCRIBE, FrontendType.EXECUTE, FrontendType.CLOSE ->
                    batchParsed || unnamed != null || portal != null || !named.isEmpty();
            default -> false;
        };
    }

    /** A simple Query drops the unnamed statement and the unnamed portal, whoever answers it. */
    public void queryArrived() {
        unnamed = null;
        if (portal != null && portalName.isEmpty()) {
            portal = null;
        }
    }

    /**
     * Answers {@code frame} in its turn in {@code queue} if it belongs to one of these statements.
     *
     * @param quiet nothing of the client's is in flight and no transaction is open ({@code answersAlone})
     * @return false when the frame is not answered here (and is still the caller's)
     */
    public boolean answer(ByteBuf frame, byte type, RequestQueue queue, boolean quiet) {
        if (Frames.isPartial(frame)) {
            return false;
        }
        return switch (type) {
            case FrontendType.PARSE -> parse(frame, queue, quiet);
            case FrontendType.BIND -> bind(frame, queue);
            case FrontendType.DESCRIBE -> describe(frame, queue);
            case FrontendType.EXECUTE -> execute(frame, queue);
            case FrontendType.CLOSE -> close(frame, queue);
            default -> false;
        };
    }

    private boolean parse(ByteBuf frame, RequestQueue queue, boolean quiet) {
        boolean namedParse = frame.getByte(Frames.bodyStart(frame)) != 0;
        DeadlineStatements.Change change = change(frame);
        String name = namedParse && (change != null || !named.isEmpty()) ? Parse.decode(frame).statementName() : "";
        if (namedParse && named.containsKey(name)) {
            if (!quiet) {
                named.remove(name); // PostgreSQL never had it: the new one is its to prepare
                return false;
            }
            frame.release();
            queue.refuse(BackendMessages.errorResponse(alloc, new PgException(Severity.ERROR,
                    SqlState.DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name + "\" already exists")),
                    FrontendType.PARSE);
            return true;
        }
        if (change == null || !quiet || namedParse && named.size() >= MAX_NAMED) {
            if (!namedParse) {
                unnamed = null; // the client's next unnamed statement is PostgreSQL's
            }
            return false;
        }
        frame.release();
        if (change instanceof DeadlineStatements.Set set) {
            try {
                WaitDeadlines.parseNanos(set.value(), Severity.ERROR);
            } catch (PgException invalid) {
                if (!namedParse) {
                    unnamed = null;
                }
                queue.refuse(BackendMessages.errorResponse(alloc, invalid), FrontendType.PARSE);
                return true;
            }
        }
        if (namedParse) {
            named.put(name, change);
            queue.answer(BackendMessages.parseComplete(), () -> named.remove(name));
        } else {
            DeadlineStatements.Change previous = unnamed;
            unnamed = change;
            queue.answer(BackendMessages.parseComplete(), () -> unnamed = previous);
        }
        return true;
    }

    private boolean bind(ByteBuf frame, RequestQueue queue) {
        if (unnamed == null && portal == null && named.isEmpty()) {
            return false;
        }
        BindHeader bind = BindHeader.decode(frame);
        DeadlineStatements.Change change = statement(bind.statementName());
        if (change == null) {
            if (bind.portalName().equals(portalName)) {
                portal = null; // the portal is PostgreSQL's now
            }
            return false;
        }
        frame.release();
        DeadlineStatements.Change previous = portal;
        String previousName = portalName;
        portal = change;
        portalName = bind.portalName();
        queue.answer(BackendMessages.bindComplete(), () -> {
            portal = previous;
            portalName = previousName;
        });
        return true;
    }

    private boolean describe(ByteBuf frame, RequestQueue queue) {
        if (unnamed == null && portal == null && named.isEmpty()) {
            return false;
        }
        Describe describe = Describe.decode(frame);
        DeadlineStatements.Change change = describe.kind() == Describe.STATEMENT ? statement(describe.name())
                : portal != null && describe.name().equals(portalName) ? portal : null;
        if (change == null) {
            return false;
        }
        frame.release();
        if (describe.kind() == Describe.STATEMENT) {
            queue.answer(BackendMessages.noParameters(), null);
        }
        queue.answer(change instanceof DeadlineStatements.Show ? showColumns(alloc) : BackendMessages.noData(), null);
        return true;
    }

    private boolean execute(ByteBuf frame, RequestQueue queue) {
        if (portal == null || !Execute.decode(frame).portalName().equals(portalName)) {
            return false;
        }
        frame.release();
        DeadlineStatements.Change change = portal;
        if (change instanceof DeadlineStatements.Show) {
            queue.answer(BackendMessages.dataRow(alloc, List.of(shown.get())), null);
            queue.answer(BackendMessages.commandComplete(alloc, "SHOW"), null);
        } else {
            queue.answer(BackendMessages.commandComplete(alloc, change instanceof DeadlineStatements.Set ? "SET"
                    : "RESET"), target.apply(change));
        }
        return true;
    }

    private boolean close(ByteBuf frame, RequestQueue queue) {
        if (unnamed == null && portal == null && named.isEmpty()) {
            return false;
        }
        Close close = Close.decode(frame);
        if (close.kind() == Close.STATEMENT && statement(close.name()) != null) {
            if (close.name().isEmpty()) {
                unnamed = null;
            } else {
                named.remove(close.name());
            }
        } else if (close.kind() == Close.PORTAL && portal != null && close.name().equals(portalName)) {
            portal = null;
        } else {
            return false;
        }
        frame.release();
        queue.answer(BackendMessages.closeComplete(), null);
        return true;
    }

    /** The change the statement of this name makes, or null when it is not one of these. */
    private DeadlineStatements.Change statement(String name) {
        return name.isEmpty() ? unnamed : named.get(name);
    }

    /** The change a Parse's text asks for, or null; only short texts starting with SET or RESET are decoded. */
    private static DeadlineStatements.Change change(ByteBuf frame) {
        if (Frames.isPartial(frame)) {
            return null;
        }
        int start = Frames.bodyStart(frame);
        int end = start + Frames.bodyLength(frame);
        int nameEnd = frame.indexOf(start, end, (byte) 0);
        if (nameEnd < 0) {
            return null;
        }
        int textEnd = frame.indexOf(nameEnd + 1, end, (byte) 0);
        if (textEnd < 0 || !DeadlineStatements.mayBe(frame, nameEnd + 1, textEnd - nameEnd)) {
            return null;
        }
        return DeadlineStatements.parse(Parse.decode(frame).query());
    }
}
