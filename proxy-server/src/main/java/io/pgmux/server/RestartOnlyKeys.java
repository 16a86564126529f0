package io.pgmux.server;

import io.pgmux.config.PgmuxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The settings a reload cannot apply to a running server; a change to them is reported, not applied. */
final class RestartOnlyKeys {
    private RestartOnlyKeys() {
    }

    /** One message per key that differs and needs a restart to take effect. */
    static List<String> changed(PgmuxConfig before, PgmuxConfig after) {
        List<String> changed = new ArrayList<>();
        check(changed, "listen", before.listen(), after.listen());
        check(changed, "admin_listen", before.adminListen(), after.adminListen());
        check(changed, "transport", before.transport(), after.transport());
        check(changed, "worker_threads", before.workerThreads(), after.workerThreads());
        check(changed, "max_message_length", before.maxMessageLength(), after.maxMessageLength());
        check(changed, "max_parsed_message_length", before.maxParsedMessageLength(),
                after.maxParsedMessageLength());
        check(changed, "pool.max_client_conn", before.pool().maxClientConn(), after.pool().maxClientConn());
        check(changed, "pool.max_db_connections", before.pool().maxDbConnections(), after.pool().maxDbConnections());
        check(changed, "pool.max_user_connections", before.pool().maxUserConnections(),
                after.pool().maxUserConnections());
        return changed;
    }

    private static void check(List<String> changed, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changed.add(key + " changed but needs a restart; still " + before);
        }
    }
}
