// The statements that bring a backend back to a clean state when its client gives it back.
package io.pgmux.pool;

import io.pgmux.protocol.TransactionStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Pool#release} runs before a backend is lent again: ROLLBACK when the client left a transaction open,
 * then the reset query when the whole session state must go (session pooling, or a pinned client leaving), then,
 * for a backend holding a fleet slot that it may have lost (to its client's statements or to the reset query), a
 * check that takes a slot again or fails, closing the backend.
 */
final class ServerCleanup {

    private ServerCleanup() {
    }

    /** The statements to run, in order; empty when the backend is clean already. */
    static List<String> statements(ServerConnection server, boolean reset, String resetQuery) {
        boolean checkSlot = server.fleetSlots() > 0 && (reset || server.slotInDoubt());
        if (!reset && !checkSlot && server.transactionStatus() == TransactionStatus.IDLE) {
            return List.of(); // the usual release in transaction pooling: nothing to build
        }
        List<String> cleanup = new ArrayList<>(3);
        if (server.transactionStatus() != TransactionStatus.IDLE) {
            cleanup.add("ROLLBACK");
        }
        if (reset && !resetQuery.isBlank()) {
            cleanup.add(resetQuery);
        }
        if (reset && !server.statements().isEmpty() && !dropsPreparedStatements(resetQuery)) {
            // The statement cache is forgotten after a reset: the server must forget the statements too, or a later
            // Parse of the same name would fail with "already exists".
            cleanup.add("DEALLOCATE ALL");
        }
        if (checkSlot) {
            cleanup.add(FleetBudgetConnector.keepSlot(server.fleetSlots()));
        }
        return cleanup;
    }

    private static boolean dropsPreparedStatements(String resetQuery) {
        String q = resetQuery.strip().toUpperCase(java.util.Locale.ROOT);
        return q.equals("DISCARD ALL") || q.equals("DEALLOCATE ALL") || q.equals("DISCARD ALL;")
                || q.equals("DEALLOCATE ALL;");
    }
}
